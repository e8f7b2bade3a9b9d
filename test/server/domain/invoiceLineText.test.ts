// What invoice lines say in each language: the words of every kind of line, German as we wrote it
// and English as the documents spoke before they had a language.
import { describeLine, inLanguage, type LineText } from '../../../server/src/domain/invoice/LineText';
import { localFormat } from '../../../server/src/domain/display/localFormat';
import { money } from '../../../server/src/domain/money';

const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
const rest = { start: new Date('2026-03-16T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
const german = localFormat({ locale: 'de-DE', timeZone: 'Europe/Berlin' });

const lines: [LineText, string, string][] = [
  [{ kind: 'planFee', plan: 'Starter', period: march }, 'Starter plan, 2026-03-01 – 2026-03-31', 'Tarif Starter, 01.03.2026 – 31.03.2026'],
  [
    { kind: 'planFeePart', plan: 'Business', part: rest, cycle: march },
    'Business plan, 2026-03-16 – 2026-03-31 (part of the cycle 2026-03-01 – 2026-03-31)',
    'Tarif Business, 16.03.2026 – 31.03.2026 (anteilig im Abrechnungszeitraum 01.03.2026 – 31.03.2026)',
  ],
  [
    { kind: 'planFeeCredited', plan: 'Starter', part: rest },
    'Starter plan, 2026-03-16 – 2026-03-31 not used: paid in advance, credited',
    'Tarif Starter, 16.03.2026 – 31.03.2026 nicht genutzt: im Voraus bezahlt, gutgeschrieben',
  ],
  [
    { kind: 'numberRent', number: '+4915112345678', type: 'mobile', country: 'DE', period: rest },
    'Phone number +4915112345678 (mobile, DE), 2026-03-16 – 2026-03-31',
    'Rufnummer +4915112345678 (Mobilfunknummer, Deutschland), 16.03.2026 – 31.03.2026',
  ],
  [
    { kind: 'included', unit: 'minute', period: march, used: money('1234.5'), included: money(2000) },
    'Included minutes, 2026-03-01 – 2026-03-31: 1,234.5 of 2,000 minutes used',
    'Inklusive Minuten, 01.03.2026 – 31.03.2026: 1.234,5 von 2.000 Minuten genutzt',
  ],
  [
    { kind: 'included', unit: 'conversation', period: march, used: money(70000), included: 'unlimited' },
    'Included conversations, 2026-03-01 – 2026-03-31: 70,000 conversations used (unlimited)',
    'Inklusive Konversationen, 01.03.2026 – 31.03.2026: 70.000 Konversationen genutzt (unbegrenzt)',
  ],
  [{ kind: 'topUp', unit: 'credits', amount: money(250000), inCurrency: false }, 'Credits top-up, 250,000 credits', 'Aufladung um 250.000 Credits'],
  [{ kind: 'topUp', unit: 'EUR', amount: money(50), inCurrency: true }, 'Balance top-up', 'Guthabenaufladung'],
];

describe('invoice line words', () => {
  test.each(lines.map(([text, english, inGerman]) => [english, inGerman, text] as const))('"%s" reads in German "%s"', (english, inGerman, text) => {
    expect(describeLine(text)).toBe(english);
    expect(describeLine(text, german).replace(/\u00a0/g, ' ')).toBe(inGerman);
  });

  test("an English account's lines keep their words; a German one's are worded anew; a line without text keeps its own", () => {
    const given = [{ description: 'Starter plan, 2026-03-01 – 2026-03-31', text: lines[0]![0] }, { description: 'Setup fee as the operator wrote it' }];
    expect(inLanguage(given, { locale: 'en-US', timeZone: 'America/New_York' })).toEqual(given);
    expect(inLanguage(given, { locale: 'de-AT', timeZone: 'Europe/Vienna' }).map((l) => l.description)).toEqual([
      'Tarif Starter, 01.03.2026 – 31.03.2026',
      'Setup fee as the operator wrote it',
    ]);
  });
});
