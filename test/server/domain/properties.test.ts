// Properties that must hold for any input, checked with fast-check.
import fc from 'fast-check';
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Account } from '../../../server/src/domain/account/Account';
import type { UsageEvent } from '../../../server/src/domain/event/UsageEvent';
import { type AccountState, planIngestion } from '../../../server/src/domain/ingestion/planIngestion';
import { credit, debit, openBook } from '../../../server/src/domain/ledger/AccountBook';
import { money, sum, ZERO } from '../../../server/src/domain/money';
import { rater } from '../support/rating';

const NOW = new Date('2026-03-10T00:00:00Z');
let counter = 0;
const newId = (prefix: string) => `${prefix}_${String(++counter).padStart(8, '0')}`;

function freshAccount(id: string): Account {
  return { id, name: id, email: null, metadata: {}, plan: 'payg', interval: 'month', anchor: new Date('2026-03-01T00:00:00Z'), status: 'paused', balance: ZERO, debt: ZERO, createdAt: NOW, billing: {}, paymentIssue: null, planSince: null, scheduledChange: null, resources: {}, endsAt: null, endedAt: null, allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC' };
}
function freshState(id: string): AccountState {
  return { account: freshAccount(id), grants: [], allowanceUsed: new Map(), chargedOnce: new Map(), whatsappLastInbound: new Map() };
}

describe('properties of rating and the ledger', () => {
  const credits = rater('credits', 'payg');

  test('rating is exact under any split of tokens: cost(a + b) = cost(a) + cost(b)', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(10_000_000), (inA, inB, outA, outB) => {
        const whole = money(credits.cost('chat', { input_tokens: inA + inB, output_tokens: outA + outB }));
        const parts = money(credits.cost('chat', { input_tokens: inA, output_tokens: outA })).plus(credits.cost('chat', { input_tokens: inB, output_tokens: outB }));
        expect(whole.equals(parts)).toBe(true);
      }),
    );
  });

  test('per-second call billing is exact under any split into parts whose amounts terminate (multiples of 12 s at 95 per 60 s)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 3_000 }), (a, b) => {
        const cost = (seconds: number) => money(credits.cost('call', { duration_seconds: seconds, answered: true }));
        expect(cost(12 * (a + b)).equals(cost(12 * a).plus(cost(12 * b)))).toBe(true);
      }),
    );
  });

  test('under any split of a call, the parts differ from the whole by at most one unit of the 20th decimal per part', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 1, max: 40_000 }), (a, b) => {
        const cost = (seconds: number) => money(credits.cost('call', { duration_seconds: seconds, answered: true }));
        const difference = cost(a + b).minus(cost(a).plus(cost(b))).abs();
        expect(difference.lessThanOrEqualTo('2e-20')).toBe(true);
      }),
    );
  });

  test('the balance always equals the sum of the ledger, and never spends what it did not have plus the usage recorded', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('topup' as const), amount: fc.integer({ min: 1, max: 100_000 }), expiresInDays: fc.option(fc.integer({ min: 1, max: 60 })) }),
      fc.record({ kind: fc.constant('usage' as const), amount: fc.integer({ min: 0, max: 100_000 }), fraction: fc.integer({ min: 0, max: 99 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const book = openBook(freshAccount('p'), []);
        let granted = ZERO;
        let used = ZERO;
        for (const op of operations) {
          if (op.kind === 'topup') {
            const expiresAt = op.expiresInDays === null ? null : new Date(NOW.getTime() + op.expiresInDays * 86_400_000);
            credit(book, { grant: { id: newId('grt'), kind: 'topup', priority: 0, grantedAt: NOW, expiresAt, amount: money(op.amount) }, kind: 'topup', reference: null, description: 't' }, newId as never);
            granted = granted.plus(op.amount);
          } else {
            const amount = money(op.amount).plus(money(op.fraction).dividedBy(100));
            debit(book, { amount, eventId: newId('evt'), occurredAt: NOW, now: NOW }, newId as never);
            used = used.plus(amount);
          }
        }
        expect(sum(book.entries.map((e) => e.amount)).equals(book.account.balance)).toBe(true);
        expect(book.account.balance.equals(granted.minus(used))).toBe(true);
        // Debt is exactly what usage drew beyond every grant, never more.
        expect(book.account.debt.equals(used.minus(granted).isNegative() ? ZERO : used.minus(granted))).toBe(true);
        expect(book.grants.every((g) => g.remaining.greaterThanOrEqualTo(0) && g.remaining.lessThanOrEqualTo(g.amount))).toBe(true);
      }),
    );
  });

  test('any interleaving of duplicates charges each id once', () => {
    const catalog = loadCatalog('credits');
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 15 }), tokens: fc.nat(5000) }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 10 }),
        (sends, batchSize) => {
          const states = new Map([['acc', freshState('acc')]]);
          const existing = new Map();
          const firstTokens = new Map<number, number>();
          for (const send of sends) if (!firstTokens.has(send.id)) firstTokens.set(send.id, send.tokens);
          let accepted = 0;
          let ledgerTotal = ZERO;
          for (let i = 0; i < sends.length; i += batchSize) {
            const events: UsageEvent[] = sends.slice(i, i + batchSize).map((s) => ({
              id: `e${s.id}`, account: 'acc', type: 'chat', timestamp: NOW.toISOString(), data: { input_tokens: s.tokens, output_tokens: 0 },
            }));
            const plan = planIngestion({ events, states, existing, catalog, now: NOW, newId: newId as never });
            for (const stored of plan.events) existing.set(`acc\u0000${stored.id}`, stored);
            accepted += plan.events.length;
            ledgerTotal = ledgerTotal.plus(sum(plan.books.ledger.map((e) => e.amount)));
            const state = states.get('acc')!;
            const account = plan.books.accounts[0];
            if (account) state.account = account;
          }
          expect(accepted).toBe(firstTokens.size);
          const expected = sum([...firstTokens.values()].map((t) => money(t).times(40).dividedBy(1000)));
          expect(ledgerTotal.negated().equals(expected)).toBe(true);
        },
      ),
    );
  });
});
