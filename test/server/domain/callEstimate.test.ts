// A call's estimate counts the tokens it leaves out at the catalog's typical rate, and authorize
// answers the longest call the account can pay. Credits preset (DOMAIN.md model 2): a call costs
// 95 credits a minute billed per second, input tokens 295 and output tokens 590 credits per 1,000;
// estimates count 1,500 tokens a minute, 750 each way (the seed's upper figure).
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { authorize } from '../../../server/src/domain/limits/authorize';
import fc from 'fast-check';
import { longestAffordableCall, withEstimatedTokens } from '../../../server/src/domain/limits/callEstimate';
import { MAX_DURATION_SECONDS } from '../../../server/src/domain/event/UsageEvent';
import { money, ZERO } from '../../../server/src/domain/money';
import type { Account } from '../../../server/src/domain/account/Account';

const credits = loadCatalog('credits');
const minutes = loadCatalog('minutes');
const at = new Date('2026-03-10T00:00:00Z');
const account = (plan: string): Account =>
  ({ id: 'acme', plan, interval: 'month', anchor: new Date('2026-03-01T00:00:00Z'), status: 'active', balance: ZERO, debt: ZERO, endsAt: null, endedAt: null }) as unknown as Account;

function check(catalog: typeof credits, plan: string, data: Record<string, number>, available: string) {
  return authorize({ catalog, plan: findPlan(catalog, plan)!, account: account(plan), type: 'call', data, available: money(available), allowanceUsed: () => ZERO, at });
}

describe('a call estimated before it happens', () => {
  test('five minutes without tokens count 3,750 tokens each way', () => {
    expect(withEstimatedTokens(credits, { duration_seconds: 300 })).toEqual({ duration_seconds: 300, input_tokens: 3750, output_tokens: 3750 });
  });

  test('a five-minute call is estimated at 3,793.75 credits: 475 for the line, 1,106.25 and 2,212.5 for the tokens', () => {
    const decision = check(credits, 'payg', { duration_seconds: 300 }, '100000');
    expect(decision.allowed && decision.estimate.cost.toFixed()).toBe('3793.75');
  });

  test('tokens the estimate names are taken as given: 300 s with 100 tokens each way is 475 + 29.5 + 59 = 563.5 credits', () => {
    const decision = check(credits, 'payg', { duration_seconds: 300, input_tokens: 100, output_tokens: 100 }, '100000');
    expect(decision.allowed && decision.estimate.cost.toFixed()).toBe('563.5');
  });

  test('a balance of 10,000 credits pays a call of 790 seconds: 9,990.21 credits; 791 seconds would cost 10,003.30', () => {
    // 790 s: 790 × 95 / 60 = 1,250.83 for the line, 9,875 tokens each way: 2,913.13 + 5,826.25.
    // 791 s: 1,252.42 for the line, 9,888 tokens each way (rounded up): 2,916.96 + 5,833.92.
    const decision = check(credits, 'payg', {}, '10000');
    expect(decision).toMatchObject({ allowed: true, maxDurationSeconds: 790 });
    expect(check(credits, 'payg', { duration_seconds: 790 }, '10000').allowed).toBe(true);
    expect(check(credits, 'payg', { duration_seconds: 791 }, '10000').allowed).toBe(false);
  });

  test('a balance that pays for more than a day answers the longest call accepted, a day', () => {
    expect(check(credits, 'payg', {}, '100000000')).toMatchObject({ allowed: true, maxDurationSeconds: 86400 });
  });

  test('a postpaid account has nothing that limits a call: null', () => {
    expect(check(minutes, 'starter', { duration_seconds: 60 }, '0')).toMatchObject({ allowed: true, maxDurationSeconds: null });
  });
});

describe('the longest affordable call', () => {
  const costs = (perSecond: number, freeSeconds: number, increment: number) => (data: Record<string, unknown>) => {
    const seconds = data['duration_seconds'] as number;
    const billed = Math.ceil(Math.max(0, seconds - freeSeconds) / increment) * increment;
    return money(billed).times(perSecond);
  };

  test('1,000 included seconds, then 2 credits a second: 100 credits pay 1,050 seconds', () => {
    expect(longestAffordableCall({}, costs(2, 1000, 1), money(100))).toBe(1050);
  });

  test('whatever the price, allowance and increments, it is the longest call whose cost fits, as counting every second finds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 90_000 }), fc.constantFrom(1, 6, 30, 60), fc.integer({ min: 0, max: 100_000 }), (cents, free, increment, budget) => {
        const costOf = costs(cents / 100, free, increment);
        let expected = 0;
        for (let seconds = 0; seconds <= MAX_DURATION_SECONDS; seconds += 1) {
          if (costOf({ duration_seconds: seconds }).lessThanOrEqualTo(budget)) expected = seconds;
          else break;
        }
        expect(longestAffordableCall({}, costOf, money(budget))).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});
