// The customer-facing texts in German and English, and how each language writes figures, days and
// countries: every text exists in both languages, a German invoice reads "1.234,56 €" and
// "31.03.2026", an English one keeps its house style (ISO days, the currency's code after).
import { DEFAULT_DISPLAY, languageOf, supportedLocale, supportedTimeZone } from '../../../server/src/domain/display/Locale';
import { localFormat, TEXTS } from '../../../server/src/domain/display/localFormat';

/** Every path to a text in a catalogue of texts, with whether it is a sentence (a function) or a word. */
function shape(texts: object, prefix = ''): string[] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? shape(value as object, `${prefix}${key}.`) : [`${prefix}${key}:${typeof value}`],
  );
}

/** What a sentence is given, whatever it asks: "X" as a string (with its methods), a list of names, or any named part. */
const X: unknown = new Proxy(['X'], {
  get: (list, key) => {
    if (typeof key === 'symbol' || key in list) return Reflect.get(list, key);
    const method = Reflect.get(String.prototype, key) as unknown;
    return typeof method === 'function' ? method.bind('X') : 'X';
  },
});

/** Every word of a catalogue, with each sentence written out with "X" for what it is given. */
function words(texts: object): string[] {
  return Object.values(texts).flatMap((value) => {
    if (typeof value === 'string') return [value];
    if (typeof value === 'function') return [String((value as (...args: unknown[]) => unknown)(X, X, X, X))];
    return words(value as object);
  });
}

const german = localFormat({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
const english = localFormat(DEFAULT_DISPLAY);
/** Intl separates a currency with a no-break space; the tests write a plain one. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('the texts', () => {
  test('every text exists in German and in English, as a word or as a sentence alike', () => {
    expect(shape(TEXTS.de)).toEqual(shape(TEXTS.en));
    expect(shape(TEXTS.en).length).toBeGreaterThan(60);
    for (const text of [...words(TEXTS.de), ...words(TEXTS.en)]) expect(text.trim()).not.toBe('');
  });

  test('the German invoice speaks German: Rechnung, Gutschrift, Leistungszeitraum, Rechnungsdatum, Fällig am, Zwischensumme, USt., Gesamtbetrag', () => {
    const t = TEXTS.de.document;
    expect([t.invoice, t.creditNote, t.net, t.total]).toEqual(['Rechnung', 'Gutschrift', 'Zwischensumme', 'Gesamtbetrag']);
    expect(t.servicePeriod('01.03.2026 – 31.03.2026')).toBe('Leistungszeitraum 01.03.2026 – 31.03.2026');
    expect(t.issued('01.04.2026')).toBe('Rechnungsdatum 01.04.2026');
    expect(t.due('15.04.2026')).toBe('Fällig am 15.04.2026');
    expect(t.vat('19', '66,03 €')).toBe('USt. 19 % auf 66,03 €');
    expect(t.reverseCharge).toBe('Steuerschuldnerschaft des Leistungsempfängers (Art. 196 der Richtlinie 2006/112/EG).');
    expect(t.page(1, 2)).toBe('Seite 1 von 2');
  });
});

describe('figures, days and names in German', () => {
  test('money reads 1.234,56 €, every cent kept; a unit price keeps its finer digits', () => {
    expect(plain(german.money('1234.56', 'EUR'))).toBe('1.234,56 €');
    expect(plain(german.money('-10.00', 'EUR'))).toBe('-10,00 €');
    expect(plain(german.money('1234567.50', 'EUR'))).toBe('1.234.567,50 €');
    expect(plain(german.unitPrice('59', 'EUR'))).toBe('59,00 €');
    expect(plain(german.unitPrice('0.002', 'EUR'))).toBe('0,002 €');
    // Credits are no currency: a figure and the unit's German name.
    expect(german.money('150000', 'credits')).toBe('150.000 Credits');
  });

  test('a quantity has at most four decimals, a decimal comma and its unit in German', () => {
    expect(german.figure('40.11666666666666666666666666666666666667')).toBe('40,1167');
    expect(german.figure('9000')).toBe('9.000');
    expect(german.quantity('1.5', 'minute')).toBe('1,5 Minuten');
    expect(german.quantity('1', 'segment')).toBe('1 Segment');
    expect(german.unit('minute')).toBe('Minute');
    expect(german.unit('month')).toBe('Monat');
    expect(german.per('second', 60)).toBe('Minute');
    expect(german.per('token', 1000)).toBe('1.000 Tokens');
    expect(german.rate('7.7')).toBe('7,7');
  });

  test("days are read in the account's time zone: 22:30 UTC on 31 March is already 1 April in Berlin", () => {
    expect(german.day(new Date('2026-03-31T12:00:00Z'))).toBe('31.03.2026');
    expect(german.day(new Date('2026-03-31T22:30:00Z'))).toBe('01.04.2026');
    expect(german.dateTime(new Date('2026-03-31T22:30:00Z'))).toBe('01.04.2026, 00:30 MESZ');
  });

  test("a cycle's period reads in its own calendar: March is 01.03.2026 – 31.03.2026 in Berlin too", () => {
    expect(german.period({ start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') })).toBe('01.03.2026 – 31.03.2026');
  });

  test('countries by their German name', () => {
    expect(german.country('DE')).toBe('Deutschland');
    expect(german.country('AT')).toBe('Österreich');
  });
});

describe('figures, days and names in English', () => {
  test('the house style: ISO days, the currency code after the figure, grouped digits', () => {
    expect(english.money('1234.56', 'EUR')).toBe('1,234.56 EUR');
    expect(english.unitPrice('0.8', 'EUR')).toBe('0.80 EUR');
    expect(english.day(new Date('2026-03-31T22:30:00Z'))).toBe('2026-03-31');
    expect(english.figure('40.11666666666666666666666666666666666667')).toBe('40.1167');
    expect(english.quantity('1', 'segment')).toBe('1 segment');
    expect(english.country('DE')).toBe('Germany');
  });

  test('an English account in Berlin reads its days there too', () => {
    expect(localFormat({ locale: 'en-GB', timeZone: 'Europe/Berlin' }).day(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01');
  });
});

describe('which locales and time zones an account may have', () => {
  test('German and English in any region, spelt canonically; other languages are not supported', () => {
    expect(supportedLocale('de-de')).toBe('de-DE');
    expect(supportedLocale('de-AT')).toBe('de-AT');
    expect(supportedLocale('de-DE-u-nu-arab')).toBe('de-DE');
    expect(supportedLocale('en')).toBe('en');
    expect(supportedLocale('fr-FR')).toBeUndefined();
    expect(supportedLocale('not a locale')).toBeUndefined();
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('en-US')).toBe('en');
  });

  test('IANA time zones as Intl knows them', () => {
    expect(supportedTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(supportedTimeZone('UTC')).toBe('UTC');
    expect(supportedTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });
});
