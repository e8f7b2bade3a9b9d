import fc from 'fast-check';
import { cycleContaining, cycleKey, cycleStart, periodJson, periodText } from '../../../server/src/domain/cycle/Cycle';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('billing cycles follow the anchor', () => {
  test('a monthly cycle runs from anchor to anchor', () => {
    const cycle = cycleContaining(at('2026-01-15T10:00:00Z'), 'month', at('2026-03-20T00:00:00Z'));
    expect(iso(cycle.start)).toBe('2026-03-15T10:00:00.000Z');
    expect(iso(cycle.end)).toBe('2026-04-15T10:00:00.000Z');
  });
  test('an anchor on the 31st bills on the last day of shorter months and returns to the 31st', () => {
    const anchor = at('2026-01-31T00:00:00Z');
    expect(iso(cycleStart(anchor, 'month', 1))).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(cycleStart(anchor, 'month', 2))).toBe('2026-03-31T00:00:00.000Z');
    expect(iso(cycleStart(anchor, 'month', 3))).toBe('2026-04-30T00:00:00.000Z');
    expect(iso(cycleStart(anchor, 'month', 4))).toBe('2026-05-31T00:00:00.000Z');
  });
  test('in a leap year an anchor on the 31st falls on February 29th', () => {
    expect(iso(cycleStart(at('2028-01-31T00:00:00Z'), 'month', 1))).toBe('2028-02-29T00:00:00.000Z');
  });
  test('a yearly cycle anchored on February 29th falls on the 28th in common years', () => {
    const anchor = at('2028-02-29T12:00:00Z');
    expect(iso(cycleStart(anchor, 'year', 1))).toBe('2029-02-28T12:00:00.000Z');
    expect(iso(cycleStart(anchor, 'year', 4))).toBe('2032-02-29T12:00:00.000Z');
  });
  test('the instant of the anchor starts a new cycle; one millisecond before belongs to the old one', () => {
    const anchor = at('2026-01-31T00:00:00Z');
    expect(iso(cycleContaining(anchor, 'month', at('2026-02-28T00:00:00Z')).start)).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(cycleContaining(anchor, 'month', at('2026-02-27T23:59:59.999Z')).start)).toBe('2026-01-31T00:00:00.000Z');
  });
  test('times before the anchor fall in earlier cycles', () => {
    const cycle = cycleContaining(at('2026-05-10T00:00:00Z'), 'month', at('2026-04-01T00:00:00Z'));
    expect(iso(cycle.start)).toBe('2026-03-10T00:00:00.000Z');
    expect(iso(cycle.end)).toBe('2026-04-10T00:00:00.000Z');
  });
  test('a remembered cycle is the one the anchor gives, for any anchors and timestamps in any order', () => {
    const anchors = [at('2026-01-31T00:00:00Z'), at('2026-02-15T10:30:00Z'), at('2027-03-01T00:00:00Z')];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.constantFrom('month' as const, 'year' as const), fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2029-12-31') })), { maxLength: 60 }),
        (lookups) => {
          for (const [a, interval, t] of lookups) {
            const found = cycleContaining(anchors[a]!, interval, new Date(t));
            // The cycle is [cycleStart(n), cycleStart(n + 1)) for the last n whose start is not after t.
            let n = -60;
            while (cycleStart(anchors[a]!, interval, n + 1).getTime() <= t) n += 1;
            expect([iso(found.start), iso(found.end)]).toEqual([iso(cycleStart(anchors[a]!, interval, n)), iso(cycleStart(anchors[a]!, interval, n + 1))]);
            expect(cycleKey(found)).toBe(iso(found.start));
          }
        },
      ),
    );
  });
  test('the cycle handed out is frozen: no caller can change what another is given', () => {
    const cycle = cycleContaining(at('2026-01-15T10:00:00Z'), 'month', at('2026-03-20T00:00:00Z'));
    expect(Object.isFrozen(cycle)).toBe(true);
    expect(cycleContaining(at('2026-01-15T10:00:00Z'), 'month', at('2026-03-21T00:00:00Z'))).toBe(cycle);
  });
});

describe('how a period is shown', () => {
  const february = cycleContaining(at('2026-01-31T00:00:00Z'), 'month', at('2026-03-01T00:00:00Z'));
  test('in JSON, a period is its bounds as ISO 8601 instants, the end exclusive', () => {
    expect(periodJson(february)).toEqual({ start: '2026-02-28T00:00:00.000Z', end: '2026-03-31T00:00:00.000Z' });
  });
  test('to people, a period is its first and last day', () => {
    expect(periodText(february)).toBe('2026-02-28 – 2026-03-30');
  });
});
