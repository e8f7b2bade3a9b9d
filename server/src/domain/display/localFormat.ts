// Figures, days and names as a customer reads them in their own language: numbers rounded as
// people read them (see forPeople: at most four decimals) and grouped, money in the locale's way
// ("1.234,56 €" in German), days in the account's time zone, countries by name, units in words.
// English keeps the house style its documents and sentences had before they had a language: ISO
// days (2026-03-31, read alike in Britain and America), the currency's code after the figure
// ("1,234.56 EUR"), and sentences' figures as forPeople writes them. Intl formats the decimal
// strings exactly, never through a float.
import Decimal from 'decimal.js';
import type { Cycle } from '../cycle/Cycle';
import { amountForPeople, DISPLAY_DECIMALS, decimalForPeople, perForPeople, quantityForPeople } from './forPeople';
import { type DisplaySettings, type Language, languageOf } from './Locale';
import { de } from './texts/de';
import { en, type Texts } from './texts/en';

export const TEXTS: Record<Language, Texts> = { en, de };

/** Units a price's `per` makes a person count in: 60 seconds are a minute, 3,600 an hour. */
const COUNTED_IN: Record<string, Record<number, string>> = { second: { 60: 'minute', 3600: 'hour' } };

const ISO_CURRENCY = /^[A-Z]{3}$/;

/** Intl takes a decimal string as the exact decimal it spells (ES2023); this TypeScript lib still types it as a number. */
const decimal = (value: string) => value as unknown as number;
const fractionDigits = (value: string) => value.split('.')[1]?.length ?? 0;

export interface LocalFormat extends DisplaySettings {
  language: Language;
  texts: Texts;
  /** A figure in a sentence: at most four decimals ("169,4167"; English "169.4167", ungrouped as before). */
  number(value: Decimal.Value): string;
  /** A figure in a document's table: at most four decimals, grouped ("40,1167", "1.234"). */
  figure(value: Decimal.Value): string;
  /** An exact decimal string with all its digits, grouped: "1234.50" as "1.234,50". */
  exact(value: string): string;
  /** An exact amount on a document: "1.234,56 €", English "1,234.56 EUR"; a unit not a currency: "1.500 Credits". */
  money(amount: string, unit: string): string;
  /** An amount in a sentence, at most four decimals: "0,045 €", English "0.045 EUR", "142,5 Credits". */
  amount(value: Decimal.Value, unit: string): string;
  /** A unit price: at least the cents, and any finer digits it has ("0,002 €"). */
  unitPrice(amount: string, currency: string): string;
  /** A quantity in a sentence: "1,5 Minuten", "1 segment". */
  quantity(value: Decimal.Value, unit: string): string;
  /** A unit as a document's Unit column prints it: "minute" as "Minute", "1000 tokens" as "1.000 Tokens". */
  unit(unit: string): string;
  /** What a price is "per": "Minute" for 60 seconds, "1.000 Tokens". */
  per(unit: string, per: number): string;
  /** A VAT rate in percent: "19", "7,7". */
  rate(percent: string): string;
  /** The day of an instant in the time zone: 31.03.2026 (de), 2026-03-31 (en). */
  day(at: Date): string;
  /**
   * A cycle's first and last day (its end is exclusive): "01.03.2026 – 31.03.2026". Cycles run on
   * whole UTC hours from their anchor, so a period reads in its own calendar (UTC) in every time
   * zone: March is 1 to 31 March, not "1 March to 1 April" as its last instant falls in Berlin.
   */
  period(period: Cycle): string;
  /** A day of a cycle's calendar (UTC, see period): where a cycle or a grant tied to it ends. */
  cycleDay(at: Date): string;
  /** An instant to the minute in the time zone, with the zone's name: "01.04.2026, 00:30 MESZ". */
  dateTime(at: Date): string;
  /** An instant in a sentence: the date and time (English: the ISO 8601 instant, as before). */
  instant(at: Date): string;
  /** A country's name for its ISO 3166 code: "Deutschland", "Germany". */
  country(code: string): string;
}

/** Formats made so far, by locale and time zone: Intl's formatters are costly to make and the same for every use. */
const made = new Map<string, LocalFormat>();
/** Far more pairs of locale and time zone than accounts really use; past it the cache starts afresh rather than grow. */
const MAX_FORMATS = 1000;

export function localFormat({ locale, timeZone, decimals }: DisplaySettings): LocalFormat {
  const key = `${locale} ${timeZone} ${decimals ?? ''}`;
  let format = made.get(key);
  if (!format) {
    format = makeLocalFormat({ locale, timeZone, ...(decimals === undefined ? {} : { decimals }) });
    if (made.size >= MAX_FORMATS) made.clear();
    made.set(key, format);
  }
  return format;
}

function makeLocalFormat(display: DisplaySettings): LocalFormat {
  const { locale, timeZone } = display;
  const language = languageOf(locale);
  const texts = TEXTS[language];
  const houseStyle = language === 'en';
  const digits = (minimumFractionDigits: number) => new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits: 100 });
  const exact = (value: string) => digits(fractionDigits(value)).format(decimal(value));
  // decimalForPeople decides what is shown (a value too small reads "<0.0001"); Intl groups it.
  const figure = (value: Decimal.Value) => {
    const shown = decimalForPeople(value);
    const bound = /^([<>]-?)(.*)$/.exec(shown);
    return bound ? `${bound[1]}${exact(bound[2]!)}` : digits(0).format(decimal(shown));
  };
  const number = houseStyle ? decimalForPeople : figure;
  const currency = (value: string, code: string, minimumFractionDigits: number) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: code, minimumFractionDigits, maximumFractionDigits: 100 }).format(decimal(value));
  const money = (amount: string, unit: string) => {
    if (!ISO_CURRENCY.test(unit)) return `${exact(amount)} ${texts.unit(unit, true)}`;
    return houseStyle ? `${exact(amount)} ${unit}` : currency(amount, unit, fractionDigits(amount));
  };
  // Rounded to the unit's display precision where the catalog gives one; "<0.01" where that hides a nonzero value.
  const forPeople = (value: Decimal.Value) => (display.decimals === undefined ? decimalForPeople(value) : amountForPeople(value, display.decimals));
  const amount = (value: Decimal.Value, unit: string) => {
    const shown = forPeople(value);
    if (houseStyle) return `${shown} ${unit}`;
    if (/^[<>]/.test(shown)) return `${shown} ${ISO_CURRENCY.test(unit) ? unit : texts.unit(unit, true)}`;
    if (!ISO_CURRENCY.test(unit)) return `${figure(shown)} ${texts.unit(unit, true)}`;
    return currency(shown, unit, 0);
  };
  const dayIn = (zone: string) => {
    const days = new Intl.DateTimeFormat(houseStyle ? 'en-CA' : locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone });
    return (at: Date) => {
      if (!houseStyle) return days.format(at);
      const parts = days.formatToParts(at);
      const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
      return `${part('year')}-${part('month')}-${part('day')}`;
    };
  };
  const day = dayIn(timeZone);
  const cycleDay = dayIn('UTC');
  const dateTimes = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  return {
    locale,
    timeZone,
    language,
    texts,
    number,
    figure,
    exact,
    money,
    amount,
    unitPrice: (exact, code) => {
      // Two digits at least, as many as the price has up to four: 0.80 and 0.002 read as written, an
      // average 0.123457 as 0.1235 (the exact price stays on the record).
      const price = new Decimal(exact).toDecimalPlaces(DISPLAY_DECIMALS, Decimal.ROUND_HALF_UP).toFixed();
      const shown = Math.max(2, fractionDigits(price));
      if (houseStyle || !ISO_CURRENCY.test(code)) return `${digits(shown).format(decimal(price))} ${code}`;
      return currency(price, code, shown);
    },
    quantity: (value, unit) => (houseStyle ? quantityForPeople(value, unit) : `${number(value)} ${texts.unit(unit, !new Decimal(value).abs().equals(1))}`),
    unit: (unit) => {
      if (houseStyle) return unit;
      const counted = /^(\d+) (.+)$/.exec(unit);
      return counted ? `${exact(counted[1]!)} ${texts.unit(counted[2]!, true)}` : texts.unit(unit, false);
    },
    per: (unit, per) => {
      if (houseStyle) return perForPeople(unit, per);
      const counted = COUNTED_IN[unit]?.[per];
      if (counted) return texts.unit(counted, false);
      return per === 1 ? texts.unit(unit, false) : `${exact(String(per))} ${texts.unit(unit, true)}`;
    },
    rate: (percent) => exact(new Decimal(percent).toFixed()),
    day,
    cycleDay,
    period: (period) => `${cycleDay(period.start)} – ${cycleDay(new Date(period.end.getTime() - 1))}`,
    dateTime: (at) => dateTimes.format(at),
    instant: (at) => (houseStyle ? at.toISOString() : dateTimes.format(at)),
    country: (code) => regions.of(code) ?? code,
  };
}
