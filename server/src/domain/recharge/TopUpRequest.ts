// Buying balance: what it costs by the catalog, and a customer's request to buy some, made on the
// dashboard and answered by the operator's flow with a checkout link. A request is paid when a
// top-up carries its id as the reference.
import type { Catalog } from '../catalog/Catalog';
import { CENTS } from '../invoice/Invoice';
import { CHARGE_SCALE, Money } from '../money';

/** The same amount asked again within this time answers the open request: one webhook, one checkout. */
export const SAME_REQUEST_MS = 15 * 60 * 1000;
/** How long the dashboard shows an unpaid request; after that the customer starts anew. */
export const REQUEST_SHOWN_MS = 24 * 60 * 60 * 1000;

/**
 * What `units` of balance are worth in the catalog's currency, net and exact: the units themselves
 * where the balance counts in that currency, by `topUps.price` otherwise; undefined where the
 * catalog sets no price for its unit.
 */
export function balanceValue(catalog: Pick<Catalog, 'balanceUnit' | 'currency' | 'topUps'>, units: Money): Money | undefined {
  if (catalog.balanceUnit === catalog.currency) return units;
  const price = catalog.topUps.price;
  return price ? units.times(price.amount).dividedBy(price.per) : undefined;
}

/**
 * How many units of balance `value` (net, in the catalog's currency) is worth: the inverse of
 * balanceValue, exact to CHARGE_SCALE digits; undefined where the catalog sets no price for its unit.
 */
export function balanceUnits(catalog: Pick<Catalog, 'balanceUnit' | 'currency' | 'topUps'>, value: Money): Money | undefined {
  if (catalog.balanceUnit === catalog.currency) return value;
  const price = catalog.topUps.price;
  return price ? value.times(price.per).dividedBy(price.amount).toDecimalPlaces(CHARGE_SCALE, Money.ROUND_HALF_UP) : undefined;
}

/** What buying `units` costs, net, to the cent (half up), as a checkout charges it. */
export function topUpPrice(catalog: Pick<Catalog, 'balanceUnit' | 'currency' | 'topUps'>, units: Money): Money | undefined {
  return balanceValue(catalog, units)?.toDecimalPlaces(CENTS, Money.ROUND_HALF_UP);
}

export interface TopUpRequest {
  id: string;
  accountId: string;
  amount: Money;
  /** Net, in `currency`; null where the catalog prices no balance. */
  price: Money | null;
  currency: string | null;
  requestedAt: Date;
  checkoutUrl: string | null;
  answeredAt: Date | null;
  /** When the top-up that paid it was made. */
  paidAt: Date | null;
}

export type TopUpRequestStatus = 'waiting_for_link' | 'ready' | 'paid';

export function requestStatus(request: Pick<TopUpRequest, 'checkoutUrl' | 'paidAt'>): TopUpRequestStatus {
  if (request.paidAt) return 'paid';
  return request.checkoutUrl ? 'ready' : 'waiting_for_link';
}

/** Whether a new request for `amount` is the latest one asked again: unpaid, the same amount, recent. */
export function sameRequest(latest: TopUpRequest | undefined, amount: Money, now: Date): latest is TopUpRequest {
  return latest !== undefined && !latest.paidAt && latest.amount.equals(amount) && now.getTime() - latest.requestedAt.getTime() < SAME_REQUEST_MS;
}

/** Whether the dashboard still shows the request (paid or not): it was made within the last day. */
export function stillShown(request: TopUpRequest, now: Date): boolean {
  return now.getTime() - request.requestedAt.getTime() < REQUEST_SHOWN_MS;
}
