// The refusal constructors: each reason's code as the API reports it, and its one message.
import { money } from '../../../server/src/domain/money';
import {
  catalogRule,
  deliveryPending,
  eInvoiceIncomplete,
  estimateUnrated,
  insufficientBalance,
  eventVoided,
  invoicePaid,
  invoiceDraft,
  invoiceHeld,
  invoiceVoid,
  planNotAvailable,
  postpaidAccount,
  REFUSAL_CODES,
  REFUSAL_REASONS,
  type Refusal,
  type RefusalReason,
  refusalCode,
  reservationClosed,
  spendLimitNotApplicable,
  spendLimitRefusal,
  subscriptionEnded,
  subscriptionEnding,
  topUpRequestPaid,
  topUpUnpriced,
  unknownPlan,
} from '../../../server/src/domain/refusals';

const day = new Date('2026-04-01T00:00:00Z');
const eur = { currency: 'EUR', balanceUnit: 'EUR' };

// A Record: a reason added without a case here fails to compile.
const CASES: Record<RefusalReason, [Refusal, string, string]> = {
  unknown_plan: [unknownPlan('gold'), 'unknown_plan', "The account's plan 'gold' is not in the catalog."],
  plan_not_available: [
    planNotAvailable({ plan: 'business', rule: 'countries', countries: ['DE', 'AT'], country: 'FR' }),
    'plan_not_available',
    "The plan 'business' is available only to accounts in DE, AT; this account's country is FR (available.countries).",
  ],
  subscription_ended: [subscriptionEnded(day, 'plan changes'), 'subscription_ended', 'The subscription ended on 2026-04-01; it takes no more plan changes.'],
  subscription_ending: [
    subscriptionEnding(day, 'buying add-ons'),
    'subscription_ending',
    'The subscription ends on 2026-04-01; withdraw the cancellation before buying add-ons.',
  ],
  postpaid_account: [
    postpaidAccount({ name: 'Business' }, 'top-up'),
    'postpaid_account',
    "Business is billed after use: its usage is invoiced at the cycle's end, and there is no balance to top up.",
  ],
  insufficient_balance: [
    insufficientBalance({ purpose: 'Renting +4930123456 for the rest of this cycle', cost: money('120.50'), available: money('100'), unit: 'credits' }),
    'insufficient_balance',
    'Renting +4930123456 for the rest of this cycle costs 120.5 credits, more than the 100 credits the account has available.',
  ],
  spend_limit_reached: [
    spendLimitRefusal({ limit: money(10), spent: money('8.51'), held: money(0) }, 'EUR', money('1.5')),
    'spend_limit_reached',
    'The estimated cost 1.5 EUR exceeds the 1.49 EUR the spend limit of 10 EUR leaves in this cycle.',
  ],
  spend_limit_not_applicable: [
    spendLimitNotApplicable({ name: 'Starter', billing: 'prepaid' }, eur),
    'spend_limit_not_applicable',
    'A spend limit applies to postpaid plans billed in EUR; Starter is prepaid, and its balance limits its spending already.',
  ],
  invoice_paid: [invoicePaid('CM-2026-0007'), 'invoice_paid', 'Invoice CM-2026-0007 is paid already.'],
  event_voided: [eventVoided('call-7'), 'event_voided', "Event 'call-7' is voided: it cannot be amended. Record the usage again as a new event."],
  invoice_void: [invoiceVoid('CM-2026-0007', 'credit notes'), 'invoice_void', 'Invoice CM-2026-0007 is void; it takes no more credit notes.'],
  invoice_draft: [
    invoiceDraft('inv_1', 'credit notes'),
    'invoice_draft',
    "Invoice inv_1 is a draft, held until its buyer's address is given: it takes credit notes once it is issued.",
  ],
  invoice_held: [
    invoiceHeld({ invoice: 'inv_1', account: 'acme', missing: ['billing.address'] }),
    'invoice_held',
    "Invoice inv_1 stays a draft: an invoice to a business must name the buyer's address (§14 UStG). Give the account acme its billing.address first.",
  ],
  einvoice_incomplete: [
    eInvoiceIncomplete('Invoice CM-2026-000001', ['billing.address', 'billing.country']),
    'einvoice_incomplete',
    'Invoice CM-2026-000001 cannot be an EN 16931 e-invoice: it was issued without billing.address, billing.country. A document keeps the details it was issued with; those issued after the catalog (invoicing.seller) or the account (billing) gives them can be e-invoiced.',
  ],
  topup_request_paid: [topUpRequestPaid('tqr_1'), 'topup_request_paid', 'The top-up request tqr_1 is paid already; it needs no checkout link.'],
  topup_unpriced: [
    topUpUnpriced({ balanceUnit: 'credits', currency: 'EUR' }),
    'topup_unpriced',
    'The catalog sets no price for credits (topUps.price), so this top-up cannot be invoiced at a price: give paid { net, currency: "EUR" }, or invoice: false.',
  ],
  delivery_pending: [deliveryPending('dlv_1'), 'delivery_pending', 'The delivery is still pending: its next attempt is already scheduled.'],
  reservation_settled: [reservationClosed('res_1', 'settled'), 'reservation_settled', "Reservation 'res_1' is settled; open a new one."],
  reservation_released: [reservationClosed('res_1', 'released'), 'reservation_released', "Reservation 'res_1' is released; open a new one."],
  reservation_expired: [reservationClosed('res_1', 'expired'), 'reservation_expired', "Reservation 'res_1' is expired; open a new one."],
  catalog_rule: [
    catalogRule({ code: 'whatsapp_window_closed', message: 'Outside the 24-hour window.' }),
    'whatsapp_window_closed',
    'Outside the 24-hour window.',
  ],
  estimate_unrated: [
    estimateUnrated({ code: 'feature_not_in_plan', feature: 'autopilot', plan: 'essentials', message: "The plan 'essentials' does not include autopilot." }),
    'feature_not_in_plan',
    "The plan 'essentials' does not include autopilot.",
  ],
};

describe('refusals', () => {
  test.each(Object.entries(CASES))('%s: its reason, the code the API reports, its message', (reason, [refusal, code, message]) => {
    expect(refusal).toMatchObject({ code: 'refused', reason, message });
    expect(refusalCode(refusal)).toBe(code);
  });

  test('every reason has a constructor case above, and the reasons are the union', () => {
    expect([...REFUSAL_REASONS].sort()).toEqual(Object.keys(CASES).sort());
  });

  test('the codes reported under their own reason leave out those that carry one', () => {
    expect(REFUSAL_CODES).toContain('subscription_ended');
    expect(REFUSAL_CODES).toContain('reservation_expired');
    expect(REFUSAL_CODES).not.toContain('catalog_rule');
    expect(REFUSAL_CODES).not.toContain('estimate_unrated');
    expect(REFUSAL_CODES).toHaveLength(REFUSAL_REASONS.length - 2);
  });

  test('one template per reason: the specifics are its parameters', () => {
    expect(subscriptionEnded(day, 'usage').message).toBe('The subscription ended on 2026-04-01; it takes no more usage.');
    expect(invoicePaid('CM-2026-0007', 'void').message).toBe('Invoice CM-2026-0007 is paid: it cannot be voided; issue a credit note for it instead.');
    expect(invoiceVoid('CM-2026-0007', 'payments').message).toBe('Invoice CM-2026-0007 is void; it takes no more payments.');
    expect(subscriptionEnded(day, 'top-ups').message).toBe('The subscription ended on 2026-04-01; it takes no more top-ups.');
    expect(subscriptionEnding(day, 'changing its plan').message).toBe('The subscription ends on 2026-04-01; withdraw the cancellation before changing its plan.');
    // A cost not known yet (an estimate without its quantity) is left out, not shown as 0.
    expect(insufficientBalance({ purpose: 'This usage', cost: null, available: money(0), unit: 'credits' }).message).toBe('This usage costs more than the 0 credits the account has available.');
    expect(spendLimitRefusal({ limit: money(10), spent: money(9), held: money(1) }, 'EUR', null).message).toBe(
      "The cycle's spend 9 EUR (with 1 held by reservations) has reached the spend limit of 10 EUR.",
    );
    // An adjustment would change a balance the invoice does not bill from: the invoice is corrected instead.
    expect(postpaidAccount({ name: 'Business' }, 'adjustment').message).toBe(
      "Business is billed after use: its invoice bills the cycle's usage, which a balance adjustment would not change; correct the invoice with a credit note instead.",
    );
    expect(spendLimitNotApplicable({ name: 'Pay as you go', billing: 'postpaid' }, { currency: 'EUR', balanceUnit: 'credits' }).message).toBe(
      'A spend limit applies to postpaid plans billed in EUR; Pay as you go is postpaid in credits.',
    );
  });
});
