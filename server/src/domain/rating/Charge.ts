// A charge is one priced line of an event, with the trace that explains it: which rate, the raw
// and billed quantity, the allowance used and the amount. Stored with the event, as JSON.
import type { Increments } from '../catalog/Catalog';
import { decimalString, Money } from '../money';

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
  price: { amount: Money; per: number };
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
    amount: decimalString(charge.amount),
    ...(charge.note ? { note: charge.note } : {}),
  };
}
