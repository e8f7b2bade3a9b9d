// A charge is one priced line of an event, with the trace that explains it: which rate, the raw
// and billed quantity, the allowance used and the amount. Stored with the event, as JSON.
import type { Increments } from '../catalog/Catalog';
import { CHARGE_SCALE, decimalString, Money } from '../money';
import type { PriceSource } from './priceInEffect';
import type { TieredCharge } from './tieredPrice';

export interface Charge {
  service: string;
  name: string;
  channel: string;
  unit: string;
  rawQuantity: Money;
  billedQuantity: Money;
  increments?: Increments;
  /** Extra facts behind the quantity, e.g. the SMS encoding. */
  quantityDetail?: string;
  allowance?: { meter: string; unit: string; usedUnits: Money; usedInMeterUnits: Money };
  chargeableQuantity: Money;
  /** The unit price; for tiers, that of the highest tier the event's units reached. */
  price: { amount: Money; per: number };
  /** Set where the account's own price rated the charge (it beats the plan's and the catalog's). */
  priceSource?: Extract<PriceSource, 'account'>;
  /** Tiered prices: the cycle's quantity before and after the event, and the tiers its units were priced in. */
  tiers?: TieredCharge;
  amount: Money;
  note?: string;
}

export type ChargeJson = ReturnType<typeof chargeToJson>;

export function chargeToJson(charge: Charge) {
  return {
    service: charge.service,
    name: charge.name,
    channel: charge.channel,
    unit: charge.unit,
    rawQuantity: decimalString(charge.rawQuantity),
    billedQuantity: decimalString(charge.billedQuantity),
    ...(charge.increments ? { increments: `${charge.increments.first}/${charge.increments.next}` } : {}),
    ...(charge.quantityDetail ? { quantityDetail: charge.quantityDetail } : {}),
    ...(charge.allowance
      ? {
          allowance: {
            meter: charge.allowance.meter,
            unit: charge.allowance.unit,
            used: decimalString(charge.allowance.usedInMeterUnits),
            usedUnits: decimalString(charge.allowance.usedUnits),
          },
        }
      : {}),
    chargeableQuantity: decimalString(charge.chargeableQuantity),
    rate: { amount: decimalString(charge.price.amount), per: charge.price.per },
    ...(charge.priceSource ? { priceSource: charge.priceSource } : {}),
    ...(charge.tiers
      ? {
          tiers: {
            mode: charge.tiers.mode,
            before: decimalString(charge.tiers.before),
            after: decimalString(charge.tiers.after),
            lines: charge.tiers.lines.map((l) => ({
              tier: l.tier,
              units: decimalString(l.units),
              rate: { amount: decimalString(l.amount), per: l.per },
              amount: decimalString(l.charge.toDecimalPlaces(CHARGE_SCALE, Money.ROUND_HALF_UP)),
            })),
            ...(charge.tiers.adjustment ? { adjustment: decimalString(charge.tiers.adjustment) } : {}),
          },
        }
      : {}),
    amount: decimalString(charge.amount),
    ...(charge.note ? { note: charge.note } : {}),
  };
}
