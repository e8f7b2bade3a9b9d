// Balance adjustments on an account's book (pure): a credit is a grant of its own kind that pays
// back debt first, a debit draws from the grants in consumption order, each entry says why, and a
// debit may take the balance down to zero and no further. Credits preset (DOMAIN.md model 2).
import fc from 'fast-check';
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Account } from '../../../server/src/domain/account/Account';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { DomainFailure } from '../../../server/src/domain/errors';
import { creditAdjustment, debit, debitAdjustment, openBook } from '../../../server/src/domain/ledger/AccountBook';
import type { Grant } from '../../../server/src/domain/ledger/drawGrants';
import { planAdjustment } from '../../../server/src/domain/ledger/planAdjustment';
import { money, sum, ZERO, type Money } from '../../../server/src/domain/money';

const credits = loadCatalog('credits');
const plans = loadCatalog('plans');
const payg = findPlan(credits, 'payg')!;
const scale = findPlan(plans, 'scale')!;
const NOW = new Date('2026-03-10T09:00:00Z');
const WHY = 'Goodwill: the outage on 9 March';

let n = 0;
const newId = (prefix: string) => `${prefix}_${++n}`;

function account(balance: string, debt = '0', status: Account['status'] = 'active', plan = 'payg'): Account {
  return {
    ...{
      id: 'a',
      name: 'A',
      email: null,
      metadata: {},
      plan,
      interval: 'month',
      anchor: new Date('2026-03-01T00:00:00Z'),
      status,
      createdAt: new Date('2026-03-01T00:00:00Z'),
    },
    ...{
      balance: money(balance),
      debt: money(debt),
      billing: {},
      paymentIssue: null,
      planSince: null,
      scheduledChange: null,
      resources: {},
      endsAt: null,
      endedAt: null,
    },
    ...{ allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC' },
  };
}

function grant(id: string, remaining: string, expiresAt: string | null = null, grantedAt = '2026-03-01T00:00:00Z'): Grant {
  return {
    id,
    kind: 'topup',
    priority: 0,
    grantedAt: new Date(grantedAt),
    expiresAt: expiresAt ? new Date(expiresAt) : null,
    amount: money(remaining),
    remaining: money(remaining),
  };
}

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainFailure) return error.error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const plan = (input: { account: Account; grants?: Grant[]; amount: string; expiresAt?: string; reference?: string }) =>
  planAdjustment({
    account: input.account,
    plan: input.account.plan === 'scale' ? scale : payg,
    catalog: input.account.plan === 'scale' ? plans : credits,
    grants: input.grants ?? [],
    request: { amount: money(input.amount), reason: WHY, reference: input.reference ?? 'adj-1', expiresAt: input.expiresAt ? new Date(input.expiresAt) : null },
    now: NOW,
    newId,
  });

describe('the book', () => {
  test('a credit of 500 on a balance of -90 pays the 90 owed first: its grant keeps 410, the balance is 410, one entry saying why', () => {
    const book = openBook(account('-90', '90', 'paused'), []);
    const entries = creditAdjustment(
      book,
      { grant: { id: 'g1', priority: 0, grantedAt: NOW, expiresAt: null, amount: money(500) }, reference: 'adj-1', reason: WHY },
      newId,
    );
    expect(book.account.debt.toFixed()).toBe('0');
    expect(book.grants.map((g) => [g.id, g.kind, g.remaining.toFixed()])).toEqual([['g1', 'adjustment', '410']]);
    expect(entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed(), e.grantId, e.reference, e.reason, e.description])).toEqual([
      ['adjustment', '500', '410', 'g1', 'adj-1', WHY, 'Adjustment adj-1'],
    ]);
    expect(book.entries).toEqual(entries);
  });

  test('a debit of 250 draws from the soonest-expiring grant first (100), then the next (150), each entry saying why', () => {
    const book = openBook(account('400'), [grant('late', '300'), grant('soon', '100', '2026-03-20T00:00:00Z')]);
    const entries = debitAdjustment(book, { amount: money(250), reference: 'adj-2', reason: WHY, occurredAt: NOW, now: NOW }, newId);
    expect(entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed(), e.grantId, e.reason])).toEqual([
      ['adjustment', '-100', '300', 'soon', WHY],
      ['adjustment', '-150', '150', 'late', WHY],
    ]);
    expect(book.grants.map((g) => [g.id, g.remaining.toFixed()])).toEqual([
      ['late', '150'],
      ['soon', '0'],
    ]);
  });

  test('a debit past every grant leaves the rest as debt, as usage does (the use case never lets it: see the limit below)', () => {
    const book = openBook(account('100'), [grant('g', '100')]);
    const entries = debitAdjustment(book, { amount: money(130), reference: 'adj-3', reason: WHY, occurredAt: NOW, now: NOW }, newId);
    expect(entries.map((e) => [e.amount.toFixed(), e.grantId])).toEqual([
      ['-100', 'g'],
      ['-30', null],
    ]);
    expect([book.account.balance.toFixed(), book.account.debt.toFixed()]).toEqual(['-30', '30']);
  });
});

describe('planning an adjustment', () => {
  test('a credit of 500 lifts a paused prepaid account at -90 to 410 and resumes it', () => {
    const planned = plan({ account: account('-90', '90', 'paused'), amount: '500' });
    expect([planned.after.balance.toFixed(), planned.after.status]).toEqual(['410', 'active']);
    expect(planned.grantId).not.toBeNull();
    expect(planned.changes.newGrants.map((g) => [g.grant.kind, g.grant.amount.toFixed(), g.grant.remaining.toFixed(), g.grant.expiresAt])).toEqual([
      ['adjustment', '500', '410', null],
    ]);
  });

  test('a credit may expire: its grant lapses then', () => {
    const planned = plan({ account: account('0', '0', 'paused'), amount: '200', expiresAt: '2026-03-31T00:00:00Z' });
    expect(planned.changes.newGrants[0]!.grant.expiresAt).toEqual(new Date('2026-03-31T00:00:00Z'));
  });

  test('a debit of 400 on a balance of 400 takes it to exactly zero and pauses the prepaid account; no grant is added', () => {
    const planned = plan({ account: account('400'), grants: [grant('g', '400')], amount: '-400' });
    expect([planned.after.balance.toFixed(), planned.after.status, planned.grantId]).toEqual(['0', 'paused', null]);
    expect(planned.entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()])).toEqual([['adjustment', '-400', '0']]);
  });

  test('a debit past the balance is refused on amount, saying the balance and the most that can be debited', () => {
    expect(failure(() => plan({ account: account('400'), grants: [grant('g', '400')], amount: '-400.01' }))).toEqual({
      code: 'validation_failed',
      field: 'amount',
      message: 'a debit may take the balance down to zero and no further: the balance is 400 credits, so at most 400 credits can be debited (amount "-400")',
    });
  });

  test('a balance at or below zero takes no debit at all', () => {
    expect(failure(() => plan({ account: account('-20', '20', 'paused'), amount: '-1' }))).toMatchObject({
      field: 'amount',
      message: 'a debit may take the balance down to zero and no further: the balance is -20 credits, so nothing can be debited',
    });
    // Zero is no balance to take from (decimal.js calls +0 positive: the rule says greater than zero).
    expect(failure(() => plan({ account: account('0', '0', 'paused'), amount: '-1' }))).toMatchObject({
      field: 'amount',
      message: 'a debit may take the balance down to zero and no further: the balance is 0 credits, so nothing can be debited',
    });
  });

  test('the limit is judged after expired grants lapse: of 150, the 100 that expired yesterday cannot be debited', () => {
    const grants = [grant('old', '100', '2026-03-09T00:00:00Z'), grant('live', '50')];
    expect(failure(() => plan({ account: account('150'), grants, amount: '-60' }))).toMatchObject({
      field: 'amount',
      message: expect.stringContaining('the balance is 50 credits'),
    });
    const planned = plan({ account: account('150'), grants, amount: '-50' });
    expect(planned.changes.ledger.map((e) => [e.kind, e.amount.toFixed(), e.reason])).toEqual([
      ['expiry', '-100', null],
      ['adjustment', '-50', WHY],
    ]);
    // The adjustment's own entries leave out the lapse written with them.
    expect(planned.entries.map((e) => e.kind)).toEqual(['adjustment']);
  });

  test('an expiry must lie in the future, and only a credit has one', () => {
    expect(failure(() => plan({ account: account('0'), amount: '10', expiresAt: '2026-03-10T09:00:00Z' }))).toMatchObject({
      field: 'expiresAt',
      message: 'must lie in the future',
    });
    expect(failure(() => plan({ account: account('100'), grants: [grant('g', '100')], amount: '-10', expiresAt: '2026-04-01T00:00:00Z' }))).toMatchObject({
      field: 'expiresAt',
    });
  });

  test('a postpaid account whose invoice bills its usage is refused: the invoice would see neither a grant nor a debit', () => {
    expect(failure(() => plan({ account: account('0', '0', 'active', 'scale'), amount: '50' }))).toMatchObject({ code: 'refused', reason: 'postpaid_account' });
  });
});

test('after any interleaving of usage and adjustments, the balance is the ledger sum, a debit never goes below zero nor adds debt, and the status follows the balance', () => {
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('usage' as const), amount: fc.integer({ min: 0, max: 50_000 }) }),
    fc.record({
      kind: fc.constant('adjust' as const),
      amount: fc.integer({ min: -50_000, max: 50_000 }).filter((a) => a !== 0),
      cents: fc.integer({ min: 0, max: 99 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
      let state = account('0', '0', 'paused');
      let grants: Grant[] = [];
      let ledger: Money[] = [];
      for (const op of operations) {
        if (op.kind === 'usage') {
          const book = openBook(state, grants);
          debit(book, { amount: money(op.amount), eventId: newId('evt'), occurredAt: NOW, now: NOW }, newId);
          [state, grants, ledger] = [book.account, book.grants, [...ledger, ...book.entries.map((e) => e.amount)]];
          continue;
        }
        const amount = money(op.amount).plus(money(op.cents).dividedBy(100).times(Math.sign(op.amount)));
        const room = state.balance.greaterThan(0) ? state.balance : ZERO;
        if (amount.lessThan(0) && amount.negated().greaterThan(room)) {
          expect(failure(() => plan({ account: state, grants, amount: amount.toFixed(), reference: newId('ref') }))).toMatchObject({ field: 'amount' });
          continue;
        }
        const planned = plan({ account: state, grants, amount: amount.toFixed(), reference: newId('ref') });
        const changed = new Map(planned.changes.changedGrants.map((g) => [g.id, g.remaining]));
        grants = [...grants.map((g) => ({ ...g, remaining: changed.get(g.id) ?? g.remaining })), ...planned.changes.newGrants.map((g) => g.grant)];
        if (amount.lessThan(0)) {
          expect(planned.after.balance.greaterThanOrEqualTo(0)).toBe(true);
          expect(planned.after.debt.equals(state.debt)).toBe(true);
        }
        ledger = [...ledger, ...planned.changes.ledger.map((e) => e.amount)];
        state = planned.after;
        expect(state.status).toBe(state.balance.greaterThan(0) ? 'active' : 'paused');
      }
      expect(sum(ledger).equals(state.balance)).toBe(true);
      expect(
        sum(grants.map((g) => g.remaining))
          .minus(state.debt)
          .equals(state.balance),
      ).toBe(true);
    }),
  );
});
