// A top-up's invoice: whether a top-up issues one and at what net, its one line, and what buying an
// amount of balance costs with VAT (the auto-recharge request's charge, the same arithmetic as the
// invoice its top-up then issues).
//
// A top-up is invoiced when it was paid for: it carries `paid` (the net the customer paid), or its
// reference answers a customer's top-up request (the operator tops up once the checkout is paid) or
// an auto-recharge request (the operator's flow charges the card, then tops up). Those are invoiced
// as paid. A top-up without any of these is a grant without payment, as before: no invoice, unless
// the caller asks for one with `invoice: true` (an open invoice at the catalog's price, to be paid
// by its due date). `invoice: false` keeps a request's or a recharge's top-up uninvoiced (the
// operator invoices it elsewhere); with `paid` it is a contradiction, refused.
import type { Catalog } from '../catalog/Catalog';
import { DomainFailure, validationFailed } from '../errors';
import { money, Money } from '../money';
import { topUpPrice } from '../recharge/TopUpRequest';
import { topUpUnpriced } from '../refusals';
import { invoiceTotals, type LineInput } from './Invoice';
import { described } from './LineText';

type Pricing = Pick<Catalog, 'balanceUnit' | 'currency' | 'topUps'>;

/** What the caller says the customer paid for the top-up: net, in the invoice currency. */
export interface TopUpPaid {
  net: Money;
  currency: string;
}

/** What a top-up's reference answers: a customer's request (with the price it showed), an auto-recharge request, or nothing known. */
export type TopUpOrigin = { kind: 'request'; amount: Money; price: Money | null } | { kind: 'recharge' } | { kind: 'none' };

/** Whether the top-up issues an invoice, at what net, and whether that invoice is paid at once. */
export type TopUpBilling = { invoice: false } | { invoice: true; net: Money; paid: boolean };

/** `paid` names the invoice currency, or the top-up is refused (before anything is read or written). */
export function checkPaidCurrency(catalog: Pick<Catalog, 'currency'>, paid: TopUpPaid | undefined): void {
  if (paid && paid.currency !== catalog.currency) {
    throw new DomainFailure(validationFailed('paid.currency', `must be ${catalog.currency}, the currency the catalog invoices in`));
  }
}

/** Whether and how a new top-up of `amount` is invoiced; see the rule at the top of this module. */
export function topUpBilling(input: {
  catalog: Pricing;
  amount: Money;
  paid?: TopUpPaid | undefined;
  invoice?: boolean | undefined;
  origin: TopUpOrigin;
}): TopUpBilling {
  const { catalog, amount, paid, invoice, origin } = input;
  checkPaidCurrency(catalog, paid);
  if (paid) {
    if (invoice === false) throw new DomainFailure(validationFailed('invoice', 'must not be false for a top-up that carries paid: what was paid is invoiced'));
    return { invoice: true, net: paid.net, paid: true };
  }
  if (invoice === false) return { invoice: false };
  const answered = origin.kind !== 'none';
  if (!answered && invoice !== true) return { invoice: false };
  // A request's top-up of the amount asked costs what the request showed, even if the catalog's price changed since.
  const net = origin.kind === 'request' && origin.price && origin.amount.equals(amount) ? origin.price : topUpPrice(catalog, amount);
  if (net === undefined) {
    if (invoice === true) throw new DomainFailure(topUpUnpriced(catalog));
    return { invoice: false };
  }
  // A few credits can be worth less than half a cent: there is nothing to invoice.
  if (net.isZero()) return { invoice: false };
  return { invoice: true, net, paid: answered };
}

/** The invoice's one line: "Credits top-up, 250,000 credits" (or "Balance top-up" where the balance counts in the currency), once, at the net. */
export function topUpLine({ catalog, amount, net }: { catalog: Pick<Catalog, 'balanceUnit' | 'currency'>; amount: Money; net: Money }): LineInput {
  return {
    ...described({ kind: 'topUp', unit: catalog.balanceUnit, amount, inCurrency: catalog.balanceUnit === catalog.currency }),
    quantity: money(1),
    unit: 'top-up',
    unitPrice: net,
    amount: net,
  };
}

/**
 * What buying `amount` of balance costs the account, as its invoice will say: net by the catalog's
 * price, VAT at the account's rate (none under a reverse charge), gross; null where the catalog
 * prices no balance.
 */
export function topUpCharge(input: { catalog: Pricing; amount: Money; taxRate: Money; reverseCharge: boolean }) {
  const { catalog, amount, taxRate, reverseCharge } = input;
  const net = topUpPrice(catalog, amount);
  if (net === undefined) return null;
  const totals = invoiceTotals([topUpLine({ catalog, amount, net })], taxRate, reverseCharge);
  return { net: totals.net, tax: totals.tax, gross: totals.gross, currency: catalog.currency };
}

/** Credits are taken back to this many decimals. */
const UNIT_DECIMALS = 6;

/**
 * The credits a correction of a top-up's invoice takes back: the top-up's share of what the
 * invoice's corrections have credited with this one, less its share of what they credited before,
 * so that crediting the whole invoice takes back the whole top-up.
 */
export function topUpCreditsTakenBack({
  topUp,
  invoiceNet,
  creditedBefore,
  creditedNow,
}: {
  topUp: Money;
  invoiceNet: Money;
  creditedBefore: Money;
  creditedNow: Money;
}): Money {
  const share = (credited: Money) => topUp.times(credited).dividedBy(invoiceNet).toDecimalPlaces(UNIT_DECIMALS, Money.ROUND_HALF_UP);
  return share(creditedBefore.plus(creditedNow)).minus(share(creditedBefore));
}
