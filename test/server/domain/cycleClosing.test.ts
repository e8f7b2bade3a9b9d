// Closing a cycle on an account's book (pure): lapse, the next package, the next rents.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Account } from '../../../server/src/domain/account/Account';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { closeCycle } from '../../../server/src/domain/cycle/CycleClosing';
import { credit, openBook } from '../../../server/src/domain/ledger/AccountBook';
import { money, ZERO } from '../../../server/src/domain/money';
import type { PhoneNumber } from '../../../server/src/domain/phoneNumber/PhoneNumber';

const catalog = loadCatalog('credits');
const starter = findPlan(catalog, 'starter')!;
const payg = findPlan(catalog, 'payg')!;
const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
const april = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

let n = 0;
const newId = (prefix: string) => `${prefix}_${++n}`;

function account(plan: string, interval: 'month' | 'year' = 'month'): Account {
  return { id: 'a', name: 'A', email: null, metadata: {}, plan, interval, anchor: march.start, status: 'active', balance: ZERO, debt: ZERO, createdAt: march.start, billing: {}, paymentIssue: null, planSince: null, scheduledChange: null, resources: {}, endsAt: null, endedAt: null, allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC' };
}

function number(id: string, monthly: string, rentedAt: string, releasedAt: string | null = null): PhoneNumber {
  return { id, accountId: 'a', number: '+4915100000001', type: 'mobile', country: 'DE', monthlyRent: money(monthly), rentedAt: new Date(rentedAt), releasedAt: releasedAt ? new Date(releasedAt) : null };
}

test("Starter: March's unused 150,000 lapse, April's 150,000 arrive, the mobile number's 60,000 rent is paid from them", () => {
  const book = openBook(account('starter'), []);
  credit(book, { grant: { id: 'g1', kind: 'plan_credits', priority: 0, grantedAt: march.start, expiresAt: march.end, amount: money(150000) }, kind: 'plan_credits', reference: null, description: 'March' }, newId);
  const closed = closeCycle(book, { plan: starter, closed: march, next: april, numbers: [number('n1', '60000', '2026-03-05T00:00:00Z')] }, newId);
  expect(closed.lapsed.toFixed()).toBe('150000');
  expect(closed.creditsGranted.toFixed()).toBe('150000');
  expect(closed.rents.map((r) => r.amount.toFixed())).toEqual(['60000']);
  expect(book.account.balance.toFixed()).toBe('90000');
  expect(book.entries.map((e) => [e.kind, e.amount.toFixed(), e.reference])).toEqual([
    ['plan_credits', '150000', null],
    ['expiry', '-150000', null],
    ['plan_credits', '150000', 'cycle:2026-04-01T00:00:00.000Z'],
    ['fee', '-60000', 'n1:2026-04-01T00:00:00.000Z'],
  ]);
  expect(book.entries[3]!.description).toBe('Phone number +4915100000001 (mobile, DE), 2026-04-01 – 2026-04-30');
});

test('numbers released by the next cycle, or rented only from it on, pay no rent for it', () => {
  const book = openBook(account('starter'), []);
  const numbers = [
    number('gone', '60000', '2026-03-05T00:00:00Z', '2026-03-20T00:00:00Z'),
    number('atend', '60000', '2026-03-05T00:00:00Z', '2026-04-01T00:00:00Z'),
    number('later', '10000', '2026-04-01T00:00:00Z'),
    number('kept', '10000', '2026-03-31T23:00:00Z', '2026-04-15T00:00:00Z'),
  ];
  expect(closeCycle(book, { plan: starter, closed: march, next: april, numbers }, newId).rents.map((r) => r.number.id)).toEqual(['kept']);
});

test('a prepaid account without a package pays the rent from its balance, and is paused when that runs out', () => {
  const book = openBook(account('payg'), []);
  credit(book, { grant: { id: 't1', kind: 'topup', priority: 0, grantedAt: march.start, expiresAt: null, amount: money(4000) }, kind: 'topup', reference: 'pay-1', description: 'Top-up' }, newId);
  const closed = closeCycle(book, { plan: payg, closed: march, next: april, numbers: [number('n1', '10000', '2026-03-05T00:00:00Z')] }, newId);
  expect(closed.creditsGranted.toFixed()).toBe('0');
  expect(book.account.balance.toFixed()).toBe('-6000');
  expect(book.account.debt.toFixed()).toBe('6000');
  expect(book.account.status).toBe('paused');
});

test('a yearly account pays twelve months of rent and gets the yearly package', () => {
  const book = openBook(account('starter', 'year'), []);
  const year = { start: march.start, end: new Date('2027-03-01T00:00:00Z') };
  const nextYear = { start: year.end, end: new Date('2028-03-01T00:00:00Z') };
  const closed = closeCycle(book, { plan: starter, closed: year, next: nextYear, numbers: [number('n1', '10000', '2026-03-05T00:00:00Z')] }, newId);
  expect(closed.creditsGranted.toFixed()).toBe('1800000');
  expect(closed.rents[0]!.amount.toFixed()).toBe('120000');
});
