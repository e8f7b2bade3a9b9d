// Numbers, units and days as people read them in sentences and documents: at most four decimals,
// in the units they count (a minute, not 60 seconds), pluralised; a day as 2026-03-31 (UTC). The exact values stay in the API's
// fields, on the invoice's records and in the ledger.
import Decimal from 'decimal.js';

/** The most fraction digits a number shown to a person has. */
export const DISPLAY_DECIMALS = 4;

const SMALLEST_SHOWN = new Decimal(10).pow(-DISPLAY_DECIMALS);

/**
 * "169.41666666666666666667" as "169.4167" (half up); a value too small to show reads "<0.0001",
 * never as a misleading zero.
 */
export function decimalForPeople(value: Decimal.Value): string {
  const exact = new Decimal(value);
  const shown = exact.toDecimalPlaces(DISPLAY_DECIMALS, Decimal.ROUND_HALF_UP);
  if (shown.isZero() && !exact.isZero()) return `${exact.isNegative() ? '>-' : '<'}${SMALLEST_SHOWN.toFixed()}`;
  return shown.isZero() ? '0' : shown.toFixed();
}

/**
 * An amount rounded (half up) to the display precision of what it counts (`displayDecimals`: money
 * to its cents, credits as the catalog says): "169.41666" credits at 2 as "169.42"; a value too small
 * to show reads "<0.01", never as a misleading zero. Trailing zeros are left to the formatter.
 */
export function amountForPeople(value: Decimal.Value, decimals: number): string {
  const places = Math.min(decimals, DISPLAY_DECIMALS);
  const exact = new Decimal(value);
  const shown = exact.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  const smallest = new Decimal(10).pow(-places);
  if (shown.isZero() && !exact.isZero()) return `${exact.isNegative() ? '>-' : '<'}${smallest.toFixed()}`;
  return shown.isZero() ? '0' : shown.toFixed();
}

/** "1234567.5" as "1,234,567.5" (the decimal string's own digits, grouped, without passing through floating point). */
export function grouped(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole, fraction] = (negative ? decimal.slice(1) : decimal).split('.') as [string, string | undefined];
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A unit's plural: "segment" → "segments"; a unit already plural stays. */
export function pluralOf(unit: string): string {
  return unit.endsWith('s') ? unit : `${unit}s`;
}

/** "1 segment", "2 segments", "1.5 minutes", "3.6667 minutes". */
export function quantityForPeople(value: Decimal.Value, unit: string): string {
  const shown = decimalForPeople(value);
  return `${shown} ${shown === '1' ? unit : pluralOf(unit)}`;
}

/** Units a price's `per` makes a person count in: 60 seconds are a minute, 3,600 an hour. */
const COUNTED_IN: Record<string, Record<number, string>> = { second: { 60: 'minute', 3600: 'hour' } };

/** What a price is "per", as a person says it: "minute" for 60 seconds, "1000 tokens", "segment". */
export function perForPeople(unit: string, per: number): string {
  const counted = COUNTED_IN[unit]?.[per];
  if (counted) return counted;
  return per === 1 ? unit : `${per} ${pluralOf(unit)}`;
}

/** The UTC day of an instant, as sentences and documents name it: "2026-03-31". */
export function dayForPeople(at: Date): string {
  return at.toISOString().slice(0, 10);
}
