// A postpaid account's spend limit in authorize. Minutes preset (DOMAIN.md model 1): Pay as you go
// bills a call minute at 0.15 EUR to the second; Starter includes 500 minutes, then 0.12 EUR.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { authorize } from '../../../server/src/domain/limits/authorize';
import { spendRoom, takesSpendLimit } from '../../../server/src/domain/limits/SpendLimit';
import { money, ZERO } from '../../../server/src/domain/money';
import type { Account } from '../../../server/src/domain/account/Account';

const minutes = loadCatalog('minutes');
const at = new Date('2026-03-10T00:00:00Z');
const account = (plan: string): Account =>
  ({ id: 'acme', plan, interval: 'month', anchor: new Date('2026-03-01T00:00:00Z'), status: 'active', balance: ZERO, debt: ZERO, endsAt: null, endedAt: null }) as unknown as Account;
const limit = (amount: string, spent: string, held = '0') => ({ limit: money(amount), spent: money(spent), held: money(held) });

function check(plan: string, data: Record<string, number>, spendLimit?: ReturnType<typeof limit>, minutesUsed = 0) {
  return authorize({
    catalog: minutes,
    plan: findPlan(minutes, plan)!,
    account: account(plan),
    type: 'call',
    data,
    available: ZERO,
    allowanceUsed: () => money(minutesUsed * 60),
    spendLimit,
    at,
  });
}

describe('a spend limit', () => {
  test('what it leaves is the limit minus the spend and the holds: 10 − 6.5 − 1.25 = 2.25', () => {
    expect(spendRoom(limit('10', '6.5', '1.25')).toFixed()).toBe('2.25');
  });

  test('applies to postpaid plans billed in the invoice currency, not to prepaid ones or to credits', () => {
    expect(takesSpendLimit(minutes, findPlan(minutes, 'payg')!)).toBe(true);
    const credits = loadCatalog('credits');
    expect(takesSpendLimit(credits, findPlan(credits, 'payg')!)).toBe(false);
    expect(takesSpendLimit({ balanceUnit: 'credits', currency: 'EUR' }, { billing: 'postpaid' })).toBe(false);
  });

  test('a 10-minute call (1.50 EUR) under a limit leaving 2.25 is allowed, and may last 900 seconds', () => {
    expect(check('payg', { duration_seconds: 600 }, limit('10', '7.75'))).toMatchObject({ allowed: true, maxDurationSeconds: 900 });
  });

  test('a 10-minute call (1.50 EUR) under a limit leaving 1.49 is refused', () => {
    expect(check('payg', { duration_seconds: 600 }, limit('10', '8.51'))).toMatchObject({
      allowed: false,
      refusal: { reason: 'spend_limit_reached', message: 'The estimated cost 1.5 EUR exceeds the 1.49 EUR the spend limit of 10 EUR leaves in this cycle.' },
    });
  });

  test('once reached, a call of unknown length is refused, naming the holds', () => {
    expect(check('payg', {}, limit('10', '9', '1'))).toMatchObject({
      allowed: false,
      refusal: { reason: 'spend_limit_reached', message: "The cycle's spend 9 EUR (with 1 held by reservations) has reached the spend limit of 10 EUR." },
    });
  });

  test('once reached, calls inside Starter\'s 500 included minutes still go through: 400 used leave 6,000 seconds', () => {
    expect(check('starter', {}, limit('10', '10'), 400)).toMatchObject({ allowed: true, maxDurationSeconds: 6000 });
    expect(check('starter', {}, limit('10', '10'), 500)).toMatchObject({ allowed: false, refusal: { reason: 'spend_limit_reached' } });
  });

  test('on Starter with 500 minutes used a limit leaving 1.20 EUR lets a call last 600 seconds (0.12 a minute)', () => {
    expect(check('starter', {}, limit('10', '8.8'), 500)).toMatchObject({ allowed: true, maxDurationSeconds: 600 });
  });
});
