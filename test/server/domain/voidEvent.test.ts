// Voiding an event, pure (domain/correction/voidEvent and the book's giveBack and unsettle): money
// goes back to where it came from, keys and units to how they stood, and the ledger stays balanced.
import type { Account } from '../../../server/src/domain/account/Account';
import { invoiceLinesOf, planVoid } from '../../../server/src/domain/correction/voidEvent';
import type { StoredEvent } from '../../../server/src/domain/ingestion/planIngestion';
import { giveBack, openBook } from '../../../server/src/domain/ledger/AccountBook';
import type { Grant } from '../../../server/src/domain/ledger/drawGrants';
import { money, ZERO } from '../../../server/src/domain/money';

const NOW = new Date('2026-03-10T12:00:00Z');
let ids = 0;
const newId = (prefix: string) => `${prefix}_${(ids += 1)}`;

function account(balance: string, debt = '0'): Account {
  return { id: 'a', name: 'a', email: null, metadata: {}, plan: 'payg', interval: 'month', anchor: new Date('2026-03-01T00:00:00Z'), status: 'active', balance: money(balance), debt: money(debt), createdAt: NOW, billing: {}, paymentIssue: null, planSince: null, scheduledChange: null, resources: {}, endsAt: null, endedAt: null, allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC' };
}

function grant(id: string, amount: string, remaining: string, expiresAt: Date | null = null): Grant {
  return { id, kind: 'topup', priority: 0, grantedAt: new Date('2026-03-01T00:00:00Z'), expiresAt, amount: money(amount), remaining: money(remaining) };
}

function event(cost: string, paidFrom: StoredEvent['paidFrom'], draws?: StoredEvent['draws']): StoredEvent {
  return { accountId: 'a', id: 'call-1', type: 'call', timestamp: new Date('2026-03-10T10:00:00Z'), data: {}, cost, charges: [], ...(paidFrom ? { paidFrom } : {}), ...(draws ? { draws } : {}), version: 1, recordedAt: NOW };
}

const reasons = { reason: 'reported twice', now: NOW, newId, billing: 'prepaid' as const, cyclePeriod: '2026-03-01T00:00:00.000Z', onceNow: new Map(), heldElsewhere: new Set<string>() };

describe('voiding an event', () => {
  test('142.5 credits drawn from a top-up go back to that top-up', () => {
    const book = openBook(account('857.5'), [grant('grt_top', '1000', '857.5')]);
    const plan = planVoid({ ...reasons, event: event('142.5', [{ grant: 'grt_top', kind: 'topup', amount: '142.5' }]), draws: { allowance: [], once: [] }, book });
    expect(book.grants[0]!.remaining.toString()).toBe('1000');
    expect(book.account.balance.toString()).toBe('1000');
    expect(book.entries.map((e) => [e.kind, e.amount.toString(), e.grantId, e.reason])).toEqual([['void', '142.5', 'grt_top', 'reported twice']]);
    expect(plan.givenBack.toString()).toBe('142.5');
    expect(plan.spend.amount.toString()).toBe('-142.5');
  });

  test('a draw that became debt pays the debt back, and a paused account resumes', () => {
    const book = openBook({ ...account('-42.5', '42.5'), status: 'paused' }, [grant('grt_top', '100', '0')]);
    planVoid({ ...reasons, event: event('142.5', [{ grant: 'grt_top', kind: 'topup', amount: '100' }, { grant: null, kind: 'debt', amount: '42.5' }]), draws: { allowance: [], once: [] }, book });
    expect(book.account.debt.isZero()).toBe(true);
    expect(book.account.balance.toString()).toBe('100');
    expect(book.account.status).toBe('active');
  });

  test('what a lapsed grant gave goes back as a refund grant without expiry', () => {
    const book = openBook(account('0'), [grant('grt_old', '50', '0', new Date('2026-03-05T00:00:00Z'))]);
    giveBack(book, { amount: money('30'), grantId: 'grt_old', eventId: 'call-1', reference: null, description: 'Void', reason: 'test', occurredAt: NOW, now: NOW }, newId);
    const refund = book.newGrants[0]!;
    expect([refund.kind, refund.amount.toString(), refund.expiresAt]).toEqual(['refund', '30', null]);
    expect(book.account.balance.toString()).toBe('30');
  });

  test('included units go back to their period; a key the event settled is released unless another standing event holds it, then restored to how it stood', () => {
    const draws = {
      allowance: [{ meter: 'minutes', period: '2026-03-01T00:00:00.000Z', units: '120' }],
      once: [
        { group: 'conv', key: 'c1', period: 'p', before: null, after: { coveredBy: null, units: '0' } },
        { group: 'conv', key: 'c2', period: 'p', before: null, after: { coveredBy: null, units: '0' } },
        { group: 'conv', key: 'c3', period: 'p', before: { coveredBy: 'minutes', units: '1' }, after: { coveredBy: null, units: '0' } },
        { group: 'conv', key: 'c4', period: 'p', before: { coveredBy: 'minutes', units: '1' }, after: { coveredBy: null, units: '0' } },
      ],
    };
    const onceNow = new Map([
      ['conv|c1|p', { coveredBy: null, units: '0' }],
      ['conv|c2|p', { coveredBy: null, units: '0' }],
      ['conv|c3|p', { coveredBy: null, units: '0' }],
      ['conv|c4|p', { coveredBy: null, units: '0' }],
    ]);
    const plan = planVoid({ ...reasons, event: event('0', []), draws, book: openBook(account('0'), []), onceNow, heldElsewhere: new Set(['conv|c2|p', 'conv|c3|p']) });
    expect(plan.allowance.map((a) => [a.meter, a.units.toString()])).toEqual([['minutes', '120']]);
    expect(plan.once).toEqual([
      { group: 'conv', key: 'c1', period: 'p', restored: null },
      { group: 'conv', key: 'c3', period: 'p', restored: { coveredBy: 'minutes', units: '1' } },
      // Whoever settled it before, no standing event holds it now: released.
      { group: 'conv', key: 'c4', period: 'p', restored: null },
    ]);
  });

  test('an event an invoice settled gives no money back here: its credit note does', () => {
    const book = openBook(account('0'), []);
    const plan = planVoid({ ...reasons, billing: 'postpaid', event: event('7.5', [{ grant: null, kind: 'debt', amount: '7.5' }]), draws: { allowance: [], once: [] }, book, invoiced: true });
    expect(book.entries).toEqual([]);
    expect(plan.givenBack.toString()).toBe('7.5');
    expect(book.account.balance.equals(ZERO)).toBe(true);
  });

  test("an invoiced event's charges are credited on the lines that billed them", () => {
    const charges = [
      { name: 'Call minutes', amount: '0.6' },
      { name: 'Carrier surcharge', amount: '0.15' },
      { name: 'Call minutes', amount: '0' },
    ] as unknown as StoredEvent['charges'];
    const invoice = { lines: [{ description: 'Starter, March 2026' }, { description: 'Call minutes, March 2026' }, { description: 'Carrier surcharge, March 2026' }], settledLines: [1, 2] };
    const found = invoiceLinesOf({ charges }, invoice);
    expect(found.lines.map((l) => [l.line, l.amount.toString()])).toEqual([
      [1, '0.6'],
      [2, '0.15'],
    ]);
    expect(found.unmatched.isZero()).toBe(true);
    expect(invoiceLinesOf({ charges }, { ...invoice, settledLines: [1] }).unmatched.toString()).toBe('0.15');
  });

  test('ten voided 3-second calls at 0.15 a minute (0.0075 each) give back their 0.08 line to the cent, never more', () => {
    const invoice = { lines: [{ description: 'Call minutes, March 2026' }], settledLines: [0] };
    const call = [{ name: 'Call minutes', amount: '0.0075' }] as unknown as StoredEvent['charges'];
    const credits: string[] = [];
    const voided: StoredEvent['charges'][] = [];
    for (let i = 0; i < 10; i += 1) {
      credits.push(invoiceLinesOf({ charges: call }, invoice, voided).lines.map((l) => l.amount.toFixed(2)).join('') || '-');
      voided.push(call);
    }
    // Cumulative cents: 0.01, 0.02, 0.02, 0.03, 0.04, 0.05, 0.05, 0.06, 0.07, 0.08.
    expect(credits).toEqual(['0.01', '0.01', '-', '0.01', '0.01', '0.01', '-', '0.01', '0.01', '0.01']);
  });
});
