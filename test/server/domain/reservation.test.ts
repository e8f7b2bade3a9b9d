// Reservations as pure rules: what a hold costs, when it is refused, what active holds add up to.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Account } from '../../../server/src/domain/account/Account';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { money, ZERO } from '../../../server/src/domain/money';
import { decideHold, type Hold, reservationStatus, totalHeld } from '../../../server/src/domain/reservation/Reservation';

const now = new Date('2026-03-01T12:00:00Z');
const account = (plan: string): Account => ({
  id: 'a', name: 'A', email: null, metadata: {}, plan, interval: 'month', anchor: new Date('2026-01-01T00:00:00Z'), status: 'active', balance: money(1000), debt: ZERO, createdAt: now, billing: {}, paymentIssue: null, planSince: null, scheduledChange: null, resources: {}, endsAt: null, endedAt: null, allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC',
});

function hold(preset: string, planCode: string, estimate: Record<string, number>, available: string, used: Record<string, number> = {}) {
  const catalog = loadCatalog(preset);
  return decideHold({
    catalog,
    plan: findPlan(catalog, planCode)!,
    account: account(planCode),
    type: 'call',
    estimate,
    available: money(available),
    allowanceUsed: (meter) => money(used[meter] ?? 0),
    now,
  });
}

const held = (amount: string, units: Record<string, number> = {}): Hold => ({
  estimate: {}, amount: money(amount), allowanceUnits: Object.fromEntries(Object.entries(units).map(([m, u]) => [m, money(u)])), at: now,
});

describe('deciding a hold', () => {
  test('five minutes of a call on credits that uses no tokens hold 95 × 5 = 475 credits', () => {
    const decision = hold('credits', 'payg', { duration_seconds: 300, input_tokens: 0, output_tokens: 0 }, '475');
    expect(decision.ok && decision.hold.amount.toFixed()).toBe('475');
  });
  test('five minutes of a call that names no tokens hold 3,793.75 credits: 750 tokens a minute each way at 295 and 590 per 1,000', () => {
    const decision = hold('credits', 'payg', { duration_seconds: 300 }, '3793.75');
    expect(decision.ok && decision.hold.amount.toFixed()).toBe('3793.75');
  });
  test('a hold one credit short of its cost is refused as insufficient balance', () => {
    const decision = hold('credits', 'payg', { duration_seconds: 300, input_tokens: 0, output_tokens: 0 }, '474.99');
    expect(decision.ok ? 'held' : decision.error).toMatchObject({ code: 'refused', reason: 'insufficient_balance' });
  });
  test('a postpaid plan holds without a balance: nothing to refuse', () => {
    const decision = hold('minutes', 'payg', { duration_seconds: 300 }, '0');
    expect(decision.ok && decision.hold.amount.toFixed()).toBe('0.75');
  });
  test('included minutes are held first: 3 of 500 left and a 5-minute estimate hold 180 s and 2 minutes at 0.12', () => {
    const decision = hold('minutes', 'starter', { duration_seconds: 300 }, '0', { minutes: 497 * 60 });
    expect(decision.ok && decision.hold.amount.toFixed()).toBe('0.24');
    expect(decision.ok && decision.hold.allowanceUnits['minutes']?.toFixed()).toBe('180');
  });
});

describe('what holds add up to', () => {
  const reservation = (status: 'active' | 'settled' | 'released', expiresAt: string, holds: Hold[]) => ({ status, expiresAt: new Date(expiresAt), holds });

  test('an active reservation is expired from its expiry on, not a moment before', () => {
    expect(reservationStatus(reservation('active', '2026-03-01T12:00:00.001Z', []), now)).toBe('active');
    expect(reservationStatus(reservation('active', '2026-03-01T12:00:00Z', []), now)).toBe('expired');
    expect(reservationStatus(reservation('settled', '2026-03-01T11:00:00Z', []), now)).toBe('settled');
  });
  test('only active holds count: 475 + 475 extension + 100, not the settled, released or expired ones', () => {
    const total = totalHeld(
      [
        reservation('active', '2026-03-01T12:10:00Z', [held('475', { minutes: 60 }), held('475')]),
        reservation('active', '2026-03-01T12:05:00Z', [held('100', { minutes: 30 })]),
        reservation('settled', '2026-03-01T12:10:00Z', [held('1000')]),
        reservation('released', '2026-03-01T12:10:00Z', [held('1000')]),
        reservation('active', '2026-03-01T11:59:59Z', [held('1000', { minutes: 600 })]),
      ],
      now,
    );
    expect(total.amount.toFixed()).toBe('1050');
    expect(total.units.get('minutes')?.toFixed()).toBe('90');
  });
});
