// How numbers read in sentences and documents: the exact figure stays in the API, a person sees at
// most four decimals, in the units they count.
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { dayForPeople, decimalForPeople, perForPeople, quantityForPeople } from '../../../server/src/domain/display/forPeople';

describe('numbers for people', () => {
  test('a 107-second call at 95 credits a minute reads 169.4167 credits, not its twenty exact digits', () => {
    expect(decimalForPeople('169.41666666666666666667')).toBe('169.4167');
    expect(quantityForPeople('169.41666666666666666667', 'credit')).toBe('169.4167 credits');
  });

  test('a cycle of 2,407 seconds billed per minute reads 40.1167 minutes on the invoice', () => {
    expect(decimalForPeople('40.11666666666666666666666666666666666667')).toBe('40.1167');
  });

  test('exact figures keep their digits, without trailing zeros', () => {
    expect(decimalForPeople('0.225')).toBe('0.225');
    expect(decimalForPeople('1.50')).toBe('1.5');
    expect(decimalForPeople('149740')).toBe('149740');
    expect(decimalForPeople('-133.00')).toBe('-133');
  });

  test('the fourth decimal is rounded half up', () => {
    expect(decimalForPeople('0.00005')).toBe('0.0001');
    expect(decimalForPeople('2.00004')).toBe('2');
    expect(decimalForPeople('-3.66665')).toBe('-3.6667');
  });

  test('a value too small to show never reads as zero', () => {
    expect(decimalForPeople('0.00001')).toBe('<0.0001');
    expect(decimalForPeople('-0.00001')).toBe('>-0.0001');
    expect(decimalForPeople('0')).toBe('0');
    expect(decimalForPeople('-0')).toBe('0');
  });

  test('one segment is singular, any other count plural', () => {
    expect(quantityForPeople('1', 'segment')).toBe('1 segment');
    expect(quantityForPeople('1.0', 'segment')).toBe('1 segment');
    expect(quantityForPeople('2', 'segment')).toBe('2 segments');
    expect(quantityForPeople('0', 'conversation')).toBe('0 conversations');
    expect(quantityForPeople('1000', 'token')).toBe('1000 tokens');
    expect(quantityForPeople('3', 'credits')).toBe('3 credits');
  });

  test('a price per 60 seconds is a price per minute; per 3,600 seconds per hour; other multiples keep their count', () => {
    expect(perForPeople('second', 60)).toBe('minute');
    expect(perForPeople('second', 3600)).toBe('hour');
    expect(perForPeople('second', 1)).toBe('second');
    expect(perForPeople('second', 30)).toBe('30 seconds');
    expect(perForPeople('token', 1000)).toBe('1000 tokens');
    expect(perForPeople('segment', 1)).toBe('segment');
  });

  test('a day is named by its UTC date, whatever the hour', () => {
    expect(dayForPeople(new Date('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(dayForPeople(new Date('2026-04-01T00:30:00+02:00'))).toBe('2026-03-31');
  });

  test('any figure shows at most four decimals and lies within half of the fourth of the exact one', () => {
    const exact = fc
      .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 20 }))
      .map(([digits, scale]) => new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)));
    fc.assert(
      fc.property(exact, (value) => {
        const shown = decimalForPeople(value);
        if (shown.startsWith('<') || shown.startsWith('>')) return value.abs().lessThan('0.00005');
        const [, fraction = ''] = shown.split('.');
        return fraction.length <= 4 && new Decimal(shown).minus(value).abs().lessThanOrEqualTo('0.00005');
      }),
    );
  });
});
