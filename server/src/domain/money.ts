// Exact decimal arithmetic for money and credits. Every amount in creditmeter is a Decimal;
// binary floating point never touches one.
import Decimal from 'decimal.js';

// 40 significant digits holds any catalog rate times any accepted quantity exactly
// (rates have at most 12 fraction digits, quantities at most 15 integer digits).
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO: Money = new Money(0);

/**
 * Fraction digits a charge keeps. A per-minute rate billed per second does not always terminate in
 * decimal (95 credits per 60 s for 61 s is 96.58333... credits): such an amount is rounded half-up
 * at its 20th fraction digit, far below any cent, and this is the only rounding rating does.
 */
export const CHARGE_SCALE = 20;

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
