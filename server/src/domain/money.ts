// Exact decimal arithmetic for money and credits. Every amount in creditmeter is a Decimal;
// binary floating point never touches one.
import Decimal from 'decimal.js';

// 40 significant digits holds any catalog rate times any accepted quantity exactly
// (rates have at most 12 fraction digits, quantities at most 15 integer digits).
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO: Money = new Money(0);

export function money(value: Decimal.Value): Money {
  return new Money(value);
}

export function sum(values: readonly Money[]): Money {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

export function minOf(a: Money, b: Money): Money {
  return a.lessThan(b) ? a : b;
}

/** A decimal as it travels in JSON and SQL: a plain string, never exponent notation. */
export function decimalString(value: Money): string {
  return value.toFixed();
}
