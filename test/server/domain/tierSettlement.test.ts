// How tiered charges settle with the balance, pure: a cheaper volume tier's credits go back to the
// grants that paid (plan credits stay plan credits), a void of an earlier event settles the cycle at
// its tiers, and the smaller guards around tiers and account prices (negative quantities, stored
// prices that no longer parse, the VAT id's country).
import { type Account, vatIdCountry } from '../../../server/src/domain/account/Account';
import { accountPricesFromJson } from '../../../server/src/domain/account/AccountPrices';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { planVoid } from '../../../server/src/domain/correction/voidEvent';
import type { StoredEvent } from '../../../server/src/domain/ingestion/planIngestion';
import { openBook, repriceDown } from '../../../server/src/domain/ledger/AccountBook';
import type { Grant } from '../../../server/src/domain/ledger/drawGrants';
import { money, ZERO } from '../../../server/src/domain/money';
import { incrementsInEffect } from '../../../server/src/domain/rating/priceInEffect';
import { rate } from '../../../server/src/domain/rating/rate';
import { tierCatalog } from '../support/tierCatalog';

const NOW = new Date('2026-03-10T12:00:00Z');
let ids = 0;
const newId = (prefix: string) => `${prefix}_${(ids += 1)}`;

function account(balance: string, debt = '0'): Account {
  return {
    id: 'a',
    name: 'a',
    email: null,
    metadata: {},
    plan: 'payg',
    interval: 'month',
    anchor: new Date('2026-03-01T00:00:00Z'),
    status: 'active',
    balance: money(balance),
    debt: money(debt),
    createdAt: NOW,
    billing: {},
    paymentIssue: null,
    planSince: null,
    scheduledChange: null,
    resources: {},
    endsAt: null,
    endedAt: null,
    allowanceExtras: {},
    cycleStart: null,
    cycleEnd: null,
    spendLimit: null,
    feePaidUntil: null,
    locale: 'en-GB',
    timeZone: 'UTC',
  };
}

const APRIL = new Date('2026-04-01T00:00:00Z');
const planCredits = (amount: string, remaining: string, expiresAt: Date = APRIL): Grant => ({
  id: 'grt_plan',
  kind: 'plan_credits',
  priority: 0,
  grantedAt: new Date('2026-03-01T00:00:00Z'),
  expiresAt,
  amount: money(amount),
  remaining: money(remaining),
});
const topUp = (amount: string, remaining: string): Grant => ({
  id: 'grt_top',
  kind: 'topup',
  priority: 0,
  grantedAt: new Date('2026-03-02T00:00:00Z'),
  expiresAt: null,
  amount: money(amount),
  remaining: money(remaining),
});
const given = (amount: string) => ({ amount: money(amount), eventId: 'e2', occurredAt: NOW, now: NOW });

describe("a cheaper volume tier's credits go back to the grants that paid", () => {
  test('1,000 tokens paid 50 from plan credits; the 1,001st gives 9.96 back to those plan credits, which still lapse on April 1', () => {
    const book = openBook(account('100'), [planCredits('50', '0'), topUp('100', '100')]);
    repriceDown(book, given('9.96'), newId);
    expect(book.grants.map((g) => [g.id, g.remaining.toFixed(), g.expiresAt?.toISOString() ?? null])).toEqual([
      ['grt_plan', '9.96', '2026-04-01T00:00:00.000Z'],
      ['grt_top', '100', null],
    ]);
    expect(book.newGrants).toEqual([]);
    expect(book.account.balance.toFixed()).toBe('109.96');
  });

  test('latest drawn first: the top-up drawn after the plan credits gets its 5 back, the plan credits the other 4.96', () => {
    const book = openBook(account('95'), [planCredits('50', '0'), topUp('100', '95')]);
    repriceDown(book, given('9.96'), newId);
    expect(book.entries.map((e) => [e.grantId, e.amount.toFixed(), e.kind])).toEqual([
      ['grt_top', '5', 'refund'],
      ['grt_plan', '4.96', 'refund'],
    ]);
  });

  test('plan credits that lapsed take nothing: the debt is paid first, and only the rest becomes a refund grant', () => {
    const book = openBook(account('-3', '3'), [planCredits('50', '0', new Date('2026-03-05T00:00:00Z'))]);
    repriceDown(book, given('9.96'), newId);
    expect(book.entries.map((e) => [e.grantId === null ? 'debt' : e.grantId.startsWith('grt_plan') ? 'plan' : 'refund', e.amount.toFixed()])).toEqual([
      ['debt', '3'],
      ['refund', '6.96'],
    ]);
    expect(book.account.balance.toFixed()).toBe('6.96');
  });
});

describe('a void of a tiered event settles the cycle at its tiers', () => {
  const tiered: StoredEvent['charges'][number] = {
    service: 'chat_output',
    name: 'Chat output tokens',
    channel: 'ai_chat',
    unit: 'token',
    rawQuantity: '1000',
    billedQuantity: '1000',
    chargeableQuantity: '1000',
    rate: { amount: '0.05', per: 1 },
    tiers: { mode: 'volume', before: '0', after: '1000', lines: [{ tier: 1, units: '1000', rate: { amount: '0.05', per: 1 }, amount: '50' }] },
    amount: '50',
  };
  const event: StoredEvent = {
    accountId: 'a',
    id: 'e1',
    type: 'chat',
    timestamp: new Date('2026-03-10T10:00:00Z'),
    data: {},
    cost: '50',
    charges: [tiered],
    paidFrom: [{ grant: 'grt_top', kind: 'topup', amount: '50' }],
    draws: { allowance: [], once: [], tiers: [{ service: 'chat_output', period: 'p', units: '1000' }] },
    version: 1,
    recordedAt: NOW,
  };
  const input = { reason: 'sent twice', now: NOW, newId, billing: 'prepaid' as const, cyclePeriod: 'p', onceNow: new Map(), heldElsewhere: new Set<string>() };

  test('voiding the 1,000 tokens of a 1,001-token volume cycle charged 40.04 gives back 39.99 to the top-up that paid the event 50, not 50', () => {
    const book = openBook(account('9959.96'), [topUp('10000', '9959.96')]);
    const settled = { service: 'chat_output', period: 'p', quantity: money(1), charged: money('0.05'), givenBack: money('39.99') };
    const plan = planVoid({ ...input, event, draws: event.draws!, book, tiers: [settled] });
    expect(book.entries.map((e) => [e.kind, e.grantId, e.amount.toFixed()])).toEqual([['void', 'grt_top', '39.99']]);
    expect(book.entries[0]!.description).toBe(
      "Void of chat event e1, settled at the cycle's tiers (chat_output: 1 units left, charged 0.05; 39.99 back where the event was charged 50)",
    );
    expect(book.account.balance.toFixed()).toBe('9999.95');
    expect([plan.givenBack.toFixed(), plan.spend.amount.toFixed(), plan.rollups[0]!.amount.toFixed()]).toEqual(['39.99', '-39.99', '-39.99']);
    expect(plan.tiers.map((t) => [t.service, t.quantity.toFixed(), t.charged.toFixed()])).toEqual([['chat_output', '1', '0.05']]);
  });
});

describe('guards', () => {
  const catalog = tierCatalog();
  const context = { catalog, plan: findPlan(catalog, 'payg')!, interval: 'month' as const, allowanceUsed: () => ZERO, chargedBefore: () => undefined };

  test('rating refuses a negative quantity, naming its field, whatever the event schema let through', () => {
    const rating = rate('chat', { input_tokens: -5, output_tokens: 0 }, context);
    expect(rating).toEqual({ ok: false, error: { code: 'validation_failed', field: 'data.input_tokens', message: 'data.input_tokens must not be negative.' } });
  });

  test('a stored account price that no longer parses is left out and named; the others stand', () => {
    const read = accountPricesFromJson({ call_seconds: { price: { amount: '0.12', per: 60 } }, chat_input: { price: { amount: 'lots' } } });
    expect(Object.keys(read.prices)).toEqual(['call_seconds']);
    expect(read.prices['call_seconds']!.price).toEqual({ amount: money('0.12'), per: 60 });
    expect(read.unreadable.map((u) => u.service)).toEqual(['chat_input']);
  });

  test("a VAT id's country: EL is Greece (GR), lower case reads too, none without two letters", () => {
    expect([vatIdCountry('EL123456789'), vatIdCountry('de123456789'), vatIdCountry('12345'), vatIdCountry(undefined)]).toEqual([
      'GR',
      'DE',
      undefined,
      undefined,
    ]);
  });

  test('increments are taken from the account only where it names the service itself, not from an inherited entry', () => {
    const service = catalog.services.find((s) => s.code === 'call_seconds')!;
    const inherited = Object.create({ call_seconds: { price: { amount: money(1), per: 60 }, increments: { first: 60, next: 60 } } }) as Record<string, never>;
    expect(incrementsInEffect(service, findPlan(catalog, 'payg')!, { first: 1, next: 1 }, inherited)).toEqual({ first: 1, next: 1 });
  });
});
