// Which cycle usage is billed in, and when an account's cycle waits for its closing. Anchor on the
// 31st of January 2026: cycles end on 28 February and 31 March.
import fc from 'fast-check';
import { billedAt, billedCycle, cycleDue } from '../../../server/src/domain/cycle/BilledCycle';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const anchor = at('2026-01-31T00:00:00Z');
const account = (cycleStart: string | null) => ({ anchor, interval: 'month' as const, cycleStart: cycleStart ? at(cycleStart) : null });

describe('usage is billed in its own cycle while that cycle is open', () => {
  test('a call of 10 March on an account whose open cycle began on 28 February is billed on 10 March', () => {
    const facts = account('2026-02-28T00:00:00Z');
    expect(iso(billedAt(facts, at('2026-03-10T08:00:00Z')))).toBe('2026-03-10T08:00:00.000Z');
    expect(iso(billedCycle(facts, at('2026-03-10T08:00:00Z')).start)).toBe('2026-02-28T00:00:00.000Z');
  });
  test('the first instant of the open cycle belongs to it', () => {
    expect(iso(billedAt(account('2026-02-28T00:00:00Z'), at('2026-02-28T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
  });
  test('before the first closing nothing is late: usage dated before the account was opened keeps its own time', () => {
    const facts = account(null);
    expect(iso(billedAt(facts, at('2026-01-05T00:00:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    expect(iso(billedCycle(facts, at('2026-01-05T00:00:00Z')).start)).toBe('2025-12-31T00:00:00.000Z');
  });
});

describe('usage that arrives after its cycle closed is billed in the open cycle', () => {
  test('a call of 27 February, reported after February closed, is billed at the start of the cycle from 28 February', () => {
    const facts = account('2026-02-28T00:00:00Z');
    expect(iso(billedAt(facts, at('2026-02-27T23:59:00Z')))).toBe('2026-02-28T00:00:00.000Z');
    expect(billedCycle(facts, at('2026-02-27T23:59:00Z'))).toEqual({ start: at('2026-02-28T00:00:00Z'), end: at('2026-03-31T00:00:00Z') });
  });
  test('whatever the lateness, the billed cycle is the open one and never an earlier one', () => {
    const facts = account('2026-03-31T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2026-04-29T00:00:00Z') }), (ms) => {
        const cycle = billedCycle(facts, new Date(ms));
        const billed = billedAt(facts, new Date(ms));
        expect(cycle.start.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-31T00:00:00Z'));
        expect(billed.getTime()).toBe(Math.max(ms, Date.parse('2026-03-31T00:00:00Z')));
        expect(cycle.start.getTime() <= billed.getTime() && billed.getTime() < cycle.end.getTime()).toBe(true);
      }),
    );
  });
});

describe('a cycle waits for its closing from its end on', () => {
  const open = { cycleEnd: at('2026-03-31T00:00:00Z'), endedAt: null };
  test('one millisecond before the end nothing is due', () => {
    expect(cycleDue(open, at('2026-03-30T23:59:59.999Z'))).toBe(false);
  });
  test('at the end the closing is due', () => {
    expect(cycleDue(open, at('2026-03-31T00:00:00Z'))).toBe(true);
  });
  test('a subscription that has ended closes nothing any more', () => {
    expect(cycleDue({ ...open, endedAt: at('2026-03-31T00:00:05Z') }, at('2026-04-02T00:00:00Z'))).toBe(false);
  });
  test('an account whose end the closer has not computed yet is not held up', () => {
    expect(cycleDue({ cycleEnd: null, endedAt: null }, at('2026-04-02T00:00:00Z'))).toBe(false);
  });
});
