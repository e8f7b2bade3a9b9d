// When plan fees are billed (seed 003: the fee is paid up front for the period it covers, overage
// at the period's end, an upgrade credits the unused part of the old fee). Plans preset (DOMAIN.md
// model 4): Basic 190 EUR a month (1,900 a year), Scale 490 EUR a month; April has 30 days.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan, type Plan } from '../../../server/src/domain/catalog/Catalog';
import type { LineInput } from '../../../server/src/domain/invoice/Invoice';
import { closingFees, feeStartAtOpening, openingFee, upgradeFees } from '../../../server/src/domain/plan/PlanFee';

const plans = loadCatalog('plans');
const basic = findPlan(plans, 'basic')!;
const scale = findPlan(plans, 'scale')!;
const inArrears = (plan: Plan): Plan => ({ ...plan, feeTiming: 'arrears' });
const at = (iso: string) => new Date(iso);
const april = { start: at('2026-04-01T00:00:00Z'), end: at('2026-05-01T00:00:00Z') };
const may = { start: at('2026-05-01T00:00:00Z'), end: at('2026-06-01T00:00:00Z') };
const mayToMay = { start: at('2026-05-01T00:00:00Z'), end: at('2027-05-01T00:00:00Z') };
const half = at('2026-04-16T00:00:00Z');

/** Each line as [description, quantity, net before rounding]. */
const shown = (lines: readonly LineInput[]) => lines.map((l) => [l.description, l.quantity.toFixed(), (l.amount ?? l.quantity.times(l.unitPrice)).toFixed(2)]);

describe('opening an account', () => {
  test('a plan billed in advance opens with the whole first cycle: Basic for April, 190.00, paid until May', () => {
    const fee = openingFee({ plan: basic, interval: 'month', cycle: april, from: april.start });
    expect(shown(fee.lines)).toEqual([['Basic plan, 2026-04-01 – 2026-04-30', '1', '190.00']]);
    expect(fee.paidUntil).toEqual(april.end);
  });

  test('opened on April 16 with the anchor on April 1: charged from the opening, half of April, 95.00', () => {
    expect(feeStartAtOpening(april, half)).toEqual(half);
    expect(shown(openingFee({ plan: basic, interval: 'month', cycle: april, from: half }).lines)).toEqual([
      ['Basic plan, 2026-04-16 – 2026-04-30 (part of the cycle 2026-04-01 – 2026-04-30)', '0.5', '95.00'],
    ]);
  });

  test("an opening within the cycle's first hour is its whole cycle", () => {
    expect(feeStartAtOpening(april, at('2026-04-01T00:59:59Z'))).toEqual(april.start);
    expect(feeStartAtOpening(april, at('2026-04-01T01:00:00Z'))).toEqual(at('2026-04-01T01:00:00Z'));
  });

  test('a plan billed in arrears opens with nothing billed', () => {
    expect(openingFee({ plan: inArrears(basic), interval: 'month', cycle: april, from: april.start })).toEqual({ lines: [], paidUntil: null });
  });
});

describe('closing a cycle', () => {
  test('in advance: April was paid at its start, so the closing bills May ahead, 190.00', () => {
    const fees = closingFees({ plan: basic, interval: 'month', closed: april, nominal: april, planFrom: april.start, paidUntil: april.end, next: { plan: basic, interval: 'month', cycle: may } });
    expect(shown(fees.lines)).toEqual([['Basic plan, 2026-05-01 – 2026-05-31', '1', '190.00']]);
    expect(fees.paidUntil).toEqual(may.end);
  });

  test('in arrears: the closing bills April, and nothing ahead', () => {
    const fees = closingFees({ plan: inArrears(basic), interval: 'month', closed: april, nominal: april, planFrom: april.start, paidUntil: null, next: { plan: inArrears(basic), interval: 'month', cycle: may } });
    expect(shown(fees.lines)).toEqual([['Basic plan, 2026-04-01 – 2026-04-30', '1', '190.00']]);
    expect(fees.paidUntil).toBeNull();
  });

  test('an account from before fees were billed ahead pays April at its closing and May ahead: 380.00 once', () => {
    const fees = closingFees({ plan: basic, interval: 'month', closed: april, nominal: april, planFrom: april.start, paidUntil: null, next: { plan: basic, interval: 'month', cycle: may } });
    expect(shown(fees.lines).map((l) => l[2])).toEqual(['190.00', '190.00']);
  });

  test('the last cycle of a cancelled subscription bills nothing and refunds nothing', () => {
    expect(closingFees({ plan: basic, interval: 'month', closed: april, nominal: april, planFrom: april.start, paidUntil: april.end })).toEqual({ lines: [], paidUntil: null });
  });

  test('a move to yearly billing on April 16 credits the half of April paid ahead (−95.00) and bills the year ahead (1,900.00)', () => {
    const cut = { start: april.start, end: half };
    const year = { start: half, end: at('2027-04-16T00:00:00Z') };
    const fees = closingFees({ plan: basic, interval: 'month', closed: cut, nominal: april, planFrom: april.start, paidUntil: april.end, next: { plan: basic, interval: 'year', cycle: year } });
    expect(shown(fees.lines)).toEqual([
      ['Basic plan, 2026-04-16 – 2026-04-30 not used: paid in advance, credited', '-0.5', '-95.00'],
      ['Basic plan, 2026-04-16 – 2027-04-15', '1', '1900.00'],
    ]);
    expect(fees.paidUntil).toEqual(year.end);
  });

  test('a scheduled downgrade to Basic bills Basic ahead for May: Scale was paid for April', () => {
    const fees = closingFees({ plan: scale, interval: 'month', closed: april, nominal: april, planFrom: april.start, paidUntil: april.end, next: { plan: basic, interval: 'month', cycle: may } });
    expect(shown(fees.lines)).toEqual([['Basic plan, 2026-05-01 – 2026-05-31', '1', '190.00']]);
  });

  test('a yearly cycle bills the next year ahead: 1,900.00', () => {
    const fees = closingFees({ plan: basic, interval: 'year', closed: { start: at('2025-05-01T00:00:00Z'), end: may.start }, nominal: { start: at('2025-05-01T00:00:00Z'), end: may.start }, planFrom: at('2025-05-01T00:00:00Z'), paidUntil: may.start, next: { plan: basic, interval: 'year', cycle: mayToMay } });
    expect(shown(fees.lines)).toEqual([['Basic plan, 2026-05-01 – 2027-04-30', '1', '1900.00']]);
  });
});

describe('an upgrade from Basic to Scale on April 16, halfway through April', () => {
  test('in advance: the unused half of Basic is credited (−95.00) and Scale billed for the rest (245.00): 150.00 now', () => {
    const fees = upgradeFees({ current: basic, target: scale, interval: 'month', cycle: april, planFrom: april.start, paidUntil: april.end, at: half });
    expect(shown(fees.now)).toEqual([
      ['Basic plan, 2026-04-16 – 2026-04-30 not used: paid in advance, credited', '-0.5', '-95.00'],
      ['Scale plan, 2026-04-16 – 2026-04-30 (part of the cycle 2026-04-01 – 2026-04-30)', '0.5', '245.00'],
    ]);
    expect(fees.atCycleEnd).toBeUndefined();
    expect(fees.paidUntil).toEqual(april.end);
    expect(fees.period).toEqual({ start: half, end: april.end });
  });

  test('in arrears: the used half of Basic is billed now (95.00), Scale with the cycle (245.00)', () => {
    const fees = upgradeFees({ current: inArrears(basic), target: inArrears(scale), interval: 'month', cycle: april, planFrom: april.start, paidUntil: null, at: half });
    expect(shown(fees.now)).toEqual([['Basic plan, 2026-04-01 – 2026-04-15 (part of the cycle 2026-04-01 – 2026-04-30)', '0.5', '95.00']]);
    expect(fees.atCycleEnd?.amount?.toFixed(2)).toBe('245.00');
    expect(fees.paidUntil).toBeNull();
    expect(fees.period).toEqual({ start: april.start, end: half });
  });

  test('from a plan paid ahead to one billed in arrears, the invoice still nets: −95.00 + 245.00 now', () => {
    const fees = upgradeFees({ current: basic, target: inArrears(scale), interval: 'month', cycle: april, planFrom: april.start, paidUntil: april.end, at: half });
    expect(shown(fees.now).map((l) => l[2])).toEqual(['-95.00', '245.00']);
    expect(fees.atCycleEnd).toBeUndefined();
    // The closing then finds Scale paid until May: nothing more for April.
    const closing = closingFees({ plan: inArrears(scale), interval: 'month', closed: april, nominal: april, planFrom: half, paidUntil: fees.paidUntil, next: { plan: inArrears(scale), interval: 'month', cycle: may } });
    expect(closing.lines).toEqual([]);
  });

  test('a second upgrade on April 23 credits what is left of Scale: 8 of 30 days, −130.67', () => {
    const enterprise = findPlan(plans, 'enterprise')!;
    const fees = upgradeFees({ current: scale, target: enterprise, interval: 'month', cycle: april, planFrom: half, paidUntil: april.end, at: at('2026-04-23T00:00:00Z') });
    // Scale: 490 × 8/30 = 130.666… → 130.67; Enterprise: 1,890 × 8/30 = 504.00.
    expect(shown(fees.now).map((l) => l[2])).toEqual(['-130.67', '504.00']);
  });
});
