// The closed set of refusals: requests understood and declined for the account's state, each built here with its one message.
import type { Catalog, Plan } from './catalog/Catalog';
import { dayForPeople } from './display/forPeople';
import type { DomainError } from './errors';
import { type SpendState, spendRoom } from './limits/SpendLimit';
import { decimalString, type Money, ZERO } from './money';
import type { ReservationStatus } from './reservation/Reservation';

/** Which rule of a plan's `available` refused it. */
export type AvailabilityRule = 'from' | 'until' | 'countries';
/** What an ended subscription is asked for; named in the message, so the caller sees what was refused. */
export type AfterEnd = 'usage' | 'top-ups' | 'plan changes' | 'cancellations' | 'changes to its cancellation';
/** What a cancelled subscription, still running, is asked for. */
export type BeforeEnd = 'changing its plan' | 'buying add-ons';
/** What a postpaid account is asked for: a top-up, or a balance adjustment. */
export type PostpaidRefused = 'top-up' | 'adjustment';
type ClosedReservation = Exclude<ReservationStatus, 'active'>;
/** Why a usage estimate cannot be rated; a hold or an authorization is refused for it, under its own code. */
export type RatingFailure = Extract<DomainError, { code: 'unpriced_event' | 'feature_not_in_plan' | 'allowance_exhausted' | 'validation_failed' }>;

/** The facts each refusal's message is made of, kept on it for code and tests; the API answers its code and message only. */
interface Facts {
  unknown_plan: { plan: string };
  plan_not_available: {
    plan: string;
    rule: AvailabilityRule;
    field: string;
    from?: Date;
    until?: Date;
    countries?: readonly string[];
    country?: string | undefined;
  };
  subscription_ended: { endedOn: Date; refused: AfterEnd };
  subscription_ending: { endsOn: Date; refused: BeforeEnd };
  postpaid_account: { plan: string; refused: PostpaidRefused };
  insufficient_balance: { purpose: string; cost: Money | null; available: Money; unit: string };
  spend_limit_reached: { spendLimit: SpendState; currency: string; cost: Money | null };
  spend_limit_not_applicable: { plan: string; billing: Plan['billing']; currency: string; balanceUnit: string };
  invoice_paid: { invoice: string; asked: 'payment' | 'void' };
  invoice_void: { invoice: string; asked: 'payments' | 'credit notes' | 'e-invoices' };
  invoice_draft: { invoice: string; asked: 'payments' | 'a void' | 'credit notes' | 'an e-invoice' };
  invoice_held: { invoice: string; account: string; missing: string[]; field: string };
  event_voided: { event: string };
  /** `refused`: what the e-invoice library's validation said of fields the document has, where it is not their absence. */
  einvoice_incomplete: { document: string; missing: string[]; field: string; refused?: string[] };
  topup_request_paid: { request: string };
  topup_unpriced: { unit: string; currency: string };
  delivery_pending: { delivery: string };
  reservation_settled: { reservation: string };
  reservation_released: { reservation: string };
  reservation_expired: { reservation: string };
  // The operator's rule in the catalog: its code and message are data, reported as they stand.
  catalog_rule: { rule: string; ruleMessage: string };
  estimate_unrated: { failure: RatingFailure };
}

export type RefusalReason = keyof Facts;
export type Refusal<R extends RefusalReason = RefusalReason> = { [K in R]: { code: 'refused'; reason: K; message: string } & Facts[K] }[R];

const reservationClosedMessage =
  (status: ClosedReservation) =>
  ({ reservation }: { reservation: string }) =>
    `Reservation '${reservation}' is ${status}; open a new one.`;

const MESSAGES: { [R in RefusalReason]: (facts: Facts[R]) => string } = {
  unknown_plan: ({ plan }) => `The account's plan '${plan}' is not in the catalog.`,
  plan_not_available: ({ plan, rule, from, until, countries, country }) =>
    rule === 'from'
      ? `The plan '${plan}' is available from ${from!.toISOString()} on (available.from).`
      : rule === 'until'
        ? `The plan '${plan}' was available until ${until!.toISOString()} (available.until).`
        : `The plan '${plan}' is available only to accounts in ${countries!.join(', ')}; ${country ? `this account's country is ${country}` : 'this account names no country (billing.country)'} (available.countries).`,
  subscription_ended: ({ endedOn, refused }) => `The subscription ended on ${dayForPeople(endedOn)}; it takes no more ${refused}.`,
  subscription_ending: ({ endsOn, refused }) => `The subscription ends on ${dayForPeople(endsOn)}; withdraw the cancellation before ${refused}.`,
  postpaid_account: ({ plan, refused }) =>
    refused === 'top-up'
      ? `${plan} is billed after use: its usage is invoiced at the cycle's end, and there is no balance to top up.`
      : `${plan} is billed after use: its invoice bills the cycle's usage, which a balance adjustment would not change; correct the invoice with a credit note instead.`,
  insufficient_balance: ({ purpose, cost, available, unit }) =>
    `${purpose} costs ${cost === null ? '' : `${decimalString(cost)} ${unit}, `}more than the ${decimalString(available)} ${unit} the account has available.`,
  spend_limit_reached: ({ spendLimit, currency, cost }) => {
    const room = spendRoom(spendLimit);
    if (cost !== null && room.greaterThan(ZERO)) {
      return `The estimated cost ${decimalString(cost)} ${currency} exceeds the ${decimalString(room)} ${currency} the spend limit of ${decimalString(spendLimit.limit)} ${currency} leaves in this cycle.`;
    }
    const held = spendLimit.held.greaterThan(0) ? ` (with ${decimalString(spendLimit.held)} held by reservations)` : '';
    return `The cycle's spend ${decimalString(spendLimit.spent)} ${currency}${held} has reached the spend limit of ${decimalString(spendLimit.limit)} ${currency}.`;
  },
  spend_limit_not_applicable: ({ plan, billing, currency, balanceUnit }) =>
    `A spend limit applies to postpaid plans billed in ${currency}; ${plan} is ${billing}${billing === 'prepaid' ? ', and its balance limits its spending already' : ` in ${balanceUnit}`}.`,
  invoice_paid: ({ invoice, asked }) =>
    asked === 'void' ? `Invoice ${invoice} is paid: it cannot be voided; issue a credit note for it instead.` : `Invoice ${invoice} is paid already.`,
  invoice_void: ({ invoice, asked }) => `Invoice ${invoice} is void; it takes no more ${asked}.`,
  invoice_draft: ({ invoice, asked }) => `Invoice ${invoice} is a draft, held until its buyer's address is given: it takes ${asked} once it is issued.`,
  invoice_held: ({ invoice, account, missing }) =>
    `Invoice ${invoice} stays a draft: an invoice to a business must name the buyer's address (§14 UStG). Give the account ${account} its ${missing.join(' and ')} first.`,
  einvoice_incomplete: ({ document, missing, refused }) =>
    refused
      ? `${document} cannot be an EN 16931 e-invoice: ${refused.join('; ')}. A document keeps the details it was issued with; those issued after the catalog (invoicing.seller) or the account (billing) gives them as EN 16931 lists them can be e-invoiced.`
      : `${document} cannot be an EN 16931 e-invoice: it was issued without ${missing.join(', ')}. A document keeps the details it was issued with; those issued after the catalog (invoicing.seller) or the account (billing) gives them can be e-invoiced.`,
  event_voided: ({ event }) => `Event '${event}' is voided: it cannot be amended. Record the usage again as a new event.`,
  topup_request_paid: ({ request }) => `The top-up request ${request} is paid already; it needs no checkout link.`,
  topup_unpriced: ({ unit, currency }) =>
    `The catalog sets no price for ${unit} (topUps.price), so this top-up cannot be invoiced at a price: give paid { net, currency: "${currency}" }, or invoice: false.`,
  delivery_pending: () => 'The delivery is still pending: its next attempt is already scheduled.',
  reservation_settled: reservationClosedMessage('settled'),
  reservation_released: reservationClosedMessage('released'),
  reservation_expired: reservationClosedMessage('expired'),
  catalog_rule: ({ ruleMessage }) => ruleMessage,
  estimate_unrated: ({ failure }) => failure.message,
};

// Reasons that answer the API with a code they carry: a catalog rule's own, a rating failure's.
const CARRIED: { [R in 'catalog_rule' | 'estimate_unrated']: (refusal: Refusal<R>) => string } = {
  catalog_rule: (refusal) => refusal.rule,
  estimate_unrated: (refusal) => refusal.failure.code,
};

export const REFUSAL_REASONS = Object.keys(MESSAGES) as RefusalReason[];
/** The codes refusals answer under their own reason; the carried ones come from the catalog and the domain's codes. */
export const REFUSAL_CODES = REFUSAL_REASONS.filter((reason) => !(reason in CARRIED));

/** The code the API answers for a refusal. */
export function refusalCode(refusal: Refusal): string {
  const carried = (CARRIED as Partial<Record<RefusalReason, (refusal: Refusal) => string>>)[refusal.reason];
  return carried ? carried(refusal) : refusal.reason;
}

function refusal<R extends RefusalReason>(reason: R, facts: Facts[R]): Refusal<R> {
  const message = (MESSAGES[reason] as (facts: Facts[R]) => string)(facts);
  return { code: 'refused', reason, ...facts, message } as Refusal<R>;
}

/** A plan chosen (a new account, a plan change) outside its `available` window or countries; `field` names the rule. */
export function planNotAvailable(facts: Omit<Facts['plan_not_available'], 'field'>) {
  return refusal('plan_not_available', { ...facts, field: `available.${facts.rule}` });
}

/** The account's plan is not in the catalog (the operator removed it). */
export function unknownPlan(plan: string) {
  return refusal('unknown_plan', { plan });
}

/** Its last cycle has closed (or, for usage, its end has come): nothing can be billed to it any more. */
export function subscriptionEnded(endedOn: Date, refused: AfterEnd) {
  return refusal('subscription_ended', { endedOn, refused });
}

/** Cancelled and still running: what would outlive the end waits for the cancellation's withdrawal. */
export function subscriptionEnding(endsOn: Date, refused: BeforeEnd) {
  return refusal('subscription_ending', { endsOn, refused });
}

/** A postpaid account whose invoice bills its usage has no balance to top up, nor one an adjustment would bill. */
export function postpaidAccount(plan: Pick<Plan, 'name'>, refused: PostpaidRefused) {
  return refusal('postpaid_account', { plan: plan.name, refused });
}

/**
 * A prepaid account cannot pay `purpose` (a sentence's subject, "Renting +49… for the rest of this
 * cycle") from what it can spend now; `cost` is null where the cost is not known yet.
 */
export function insufficientBalance({ purpose, cost, available, unit }: { purpose: string; cost: Money | null; available: Money; unit: string }) {
  return refusal('insufficient_balance', { purpose, cost, available, unit });
}

/**
 * Usage refused under a postpaid account's spend limit: its estimated `cost` exceeds what the limit
 * leaves, or (no cost, or nothing left) the limit is reached and the usage is neither free nor
 * covered by an allowance.
 */
export function spendLimitRefusal(spendLimit: SpendState, currency: string, cost: Money | null) {
  return refusal('spend_limit_reached', { spendLimit, currency, cost });
}

export function spendLimitNotApplicable(plan: Pick<Plan, 'name' | 'billing'>, catalog: Pick<Catalog, 'currency' | 'balanceUnit'>) {
  return refusal('spend_limit_not_applicable', { plan: plan.name, billing: plan.billing, currency: catalog.currency, balanceUnit: catalog.balanceUnit });
}

/** `invoice` is its number, as people quote it; `asked` what was refused for it (a paid invoice is corrected by a credit note). */
export function invoicePaid(invoice: string, asked: 'payment' | 'void' = 'payment') {
  return refusal('invoice_paid', { invoice, asked });
}

/** A void invoice asks for nothing and gives nothing back: `invoice` is its number. */
export function invoiceVoid(invoice: string, asked: Facts['invoice_void']['asked']) {
  return refusal('invoice_void', { invoice, asked });
}

/** A draft (`invoice` is its id) is not issued yet: it is neither paid, voided nor credited. */
export function invoiceDraft(invoice: string, asked: Facts['invoice_draft']['asked']) {
  return refusal('invoice_draft', { invoice, asked });
}

/** A draft cannot be issued while its business buyer's details are missing; `field` is the first to give. */
export function invoiceHeld({ invoice, account, missing }: { invoice: string; account: string; missing: string[] }) {
  return refusal('invoice_held', { invoice, account, missing, field: missing[0] ?? 'billing.address' });
}

/** An e-invoice (XRechnung, ZUGFeRD) cannot be made complete for EN 16931: `document` names it ("Invoice CM-2026-000001"), `missing` the catalog's or the account's fields to give. */
export function eInvoiceIncomplete(document: string, missing: string[]) {
  return refusal('einvoice_incomplete', { document, missing, field: missing[0]! });
}

/** An e-invoice the library's EN 16931 validation refuses (a country its code list lacks): `missing` names the fields, `refused` what it said of each. */
export function eInvoiceRefused(document: string, missing: string[], refused: string[]) {
  return refusal('einvoice_incomplete', { document, missing, field: missing[0]!, refused });
}

export function eventVoided(event: string) {
  return refusal('event_voided', { event });
}

export function topUpRequestPaid(request: string) {
  return refusal('topup_request_paid', { request });
}

/** A top-up to invoice whose price neither the caller (paid) nor the catalog (topUps.price) gives. */
export function topUpUnpriced(catalog: Pick<Catalog, 'balanceUnit' | 'currency'>) {
  return refusal('topup_unpriced', { unit: catalog.balanceUnit, currency: catalog.currency });
}

/** A retry would race the attempt already scheduled. */
export function deliveryPending(delivery: string) {
  return refusal('delivery_pending', { delivery });
}

export function reservationClosed(reservation: string, status: ClosedReservation) {
  return refusal(`reservation_${status}`, { reservation });
}

export function catalogRule(rule: { code: string; message: string }) {
  return refusal('catalog_rule', { rule: rule.code, ruleMessage: rule.message });
}

/** A hold or an authorization refused because its estimate cannot be rated; the API reports the failure's code. */
export function estimateUnrated(failure: RatingFailure) {
  return refusal('estimate_unrated', { failure });
}
