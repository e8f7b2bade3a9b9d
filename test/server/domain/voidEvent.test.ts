// Voiding an event, pure (domain/correction/voidEvent and the book's giveBack and unsettle): money
// goes back to where it came from, keys and units to how they stood, and the ledger stays balanced.
import type { Account } from '../../../server/src/domain/account/Account';
import { planVoid } from '../../../server/src/domain/correction/voidEvent';
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

  test('included units go back to their period; a key settled first by the event is released unless another event holds it', () => {
    const draws = {
      allowance: [{ meter: 'minutes', period: '2026-03-01T00:00:00.000Z', units: '120' }],
      once: [
        { group: 'conv', key: 'c1', period: 'p', before: null, after: { coveredBy: null, units: '0' } },
        { group: 'conv', key: 'c2', period: 'p', before: null, after: { coveredBy: null, units: '0' } },
        { group: 'conv', key: 'c3', period: 'p', before: { coveredBy: 'minutes', units: '1' }, after: { coveredBy: null, units: '0' } },
      ],
    };
    const onceNow = new Map([
      ['conv|c1|p', { coveredBy: null, units: '0' }],
      ['conv|c2|p', { coveredBy: null, units: '0' }],
      ['conv|c3|p', { coveredBy: null, units: '0' }],
    ]);
    const plan = planVoid({ ...reasons, event: event('0', []), draws, book: openBook(account('0'), []), onceNow, heldElsewhere: new Set(['conv|c2|p']) });
    expect(plan.allowance.map((a) => [a.meter, a.units.toString()])).toEqual([['minutes', '120']]);
    expect(plan.once).toEqual([
      { group: 'conv', key: 'c1', period: 'p', restored: null },
      { group: 'conv', key: 'c3', period: 'p', restored: { coveredBy: 'minutes', units: '1' } },
    ]);
  });

  test('an event whose invoice settled it is taken back from the settlement first, then given back: the balance does not move', () => {
    const book = openBook(account('0'), []);
    planVoid({ ...reasons, billing: 'postpaid', event: event('7.5', [{ grant: null, kind: 'debt', amount: '7.5' }]), draws: { allowance: [], once: [] }, book, settledBy: { invoiceId: 'inv_1', number: 'CM-2026-000001' } });
    expect(book.entries.map((e) => [e.kind, e.amount.toString(), e.reference])).toEqual([
      ['unsettlement', '-7.5', 'inv_1'],
      ['void', '7.5', 'call-1@v1'],
    ]);
    expect(book.account.balance.equals(ZERO)).toBe(true);
  });
});
