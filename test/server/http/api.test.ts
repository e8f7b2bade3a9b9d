// The HTTP API end to end on a real server, on embedded PGlite and on PostgreSQL alike.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { WEBHOOK_EVENT_TYPES } from '../../../server/src/domain/webhooks/WebhookEvent';

const T0 = '2026-03-01T00:00:00Z';
const chat = (id: string, account: string, input: number, output: number, timestamp = T0) => ({
  id,
  account,
  type: 'chat',
  timestamp,
  data: { input_tokens: input, output_tokens: output },
});

async function ledgerSum(server: TestServer, account: string): Promise<string> {
  const [row] = await server.db.query<{ total: string | null }>('SELECT sum(amount)::text AS total FROM ledger_entries WHERE account_id = $1', [account]);
  return row?.total ?? '0';
}

describe.each(STORES)('HTTP API on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { now: T0 });
  });
  afterAll(async () => {
    await server.stop();
  });

  test('health answers without a key; everything else needs the bearer key', async () => {
    const health = await fetch(`${server.url}/v1/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const anonymous = await fetch(`${server.url}/v1/accounts`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${server.url}/v1/accounts`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  test('a starter account opens with its 150,000 monthly credits', async () => {
    const created = await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter', interval: 'month' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'acme', plan: 'starter', balance: '150000', status: 'active' });
    const again = await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter' });
    expect(again.status).toBe(409);
    const balance = await server.call('GET', '/v1/accounts/acme/balance');
    expect(balance.body.grants).toEqual([
      expect.objectContaining({ kind: 'plan_credits', amount: '150000', remaining: '150000', expiresAt: '2026-04-01T00:00:00.000Z' }),
    ]);
  });

  test('an event is rated and charged; the same event again is a duplicate with the original charges, other content under its id a conflict', async () => {
    const first = await server.call('POST', '/v1/events', chat('e1', 'acme', 1500, 1000));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'accepted', cost: '260' });
    const second = await server.call('POST', '/v1/events', chat('e1', 'acme', 1500, 1000));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'duplicate', cost: '260' });
    expect(second.body.charges).toEqual(first.body.charges);
    const other = await server.call('POST', '/v1/events', chat('e1', 'acme', 9999, 9999));
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'data.input_tokens' });
    expect((await server.call('GET', '/v1/accounts/acme/balance')).body.balance).toBe('149740');
  });

  test('an event sent without a timestamp happened when it arrived; sent again later without one, it is the same event', async () => {
    const untimed = { id: 'e-untimed', account: 'acme', type: 'chat', data: { input_tokens: 1000, output_tokens: 0 } };
    const arrivedAt = server.clock.now().toISOString();
    const before = (await server.call('GET', '/v1/accounts/acme/balance')).body.balance;
    const first = await server.call('POST', '/v1/events', untimed);
    expect(first.status).toBe(201);
    expect((await server.call('GET', '/v1/events/e-untimed?account=acme')).body.timestamp).toBe(arrivedAt);
    server.clock.advance(90_000);
    try {
      // A retried n8n execution sends it again, minutes later: a duplicate, not a conflict on its time.
      const again = await server.call('POST', '/v1/events', untimed);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'duplicate', cost: first.body.cost });
      const inBatch = await server.call('POST', '/v1/events/batch', { events: [untimed, { ...untimed, id: 'e-untimed-2' }] });
      expect(inBatch.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
      // A time given is still compared.
      const otherTime = await server.call('POST', '/v1/events', { ...untimed, timestamp: '2026-03-01T00:00:30Z' });
      expect(otherTime.status).toBe(409);
      expect(otherTime.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'timestamp' });
    } finally {
      server.clock.advance(-90_000);
    }
    const charged = Number(first.body.cost) * 2;
    expect(Number((await server.call('GET', '/v1/accounts/acme/balance')).body.balance)).toBe(Number(before) - charged);
  });

  test('the same event sent 25 times at once is charged exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => server.call('POST', '/v1/events', chat('storm', 'acme', 1000, 0))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200 && r.body.status === 'duplicate')).toHaveLength(24);
    const rows = await server.db.query('SELECT 1 FROM ledger_entries WHERE event_id = $1', ['storm']);
    expect(rows).toHaveLength(1);
  });

  test('the stored event carries its charges and traces', async () => {
    const event = await server.call('GET', '/v1/events/e1?account=acme');
    expect(event.status).toBe(200);
    expect(event.body.charges).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: 'chat_input_tokens', rawQuantity: '1500', rate: { amount: '40', per: 1000 }, amount: '60' })]),
    );
    expect((await server.call('GET', '/v1/events/nope?account=acme')).status).toBe(404);
  });

  test('a batch answers per event: accepted, duplicate and rejected side by side', async () => {
    const response = await server.call('POST', '/v1/events/batch', {
      events: [
        { id: 's1', account: 'acme', type: 'sms', timestamp: T0, data: { direction: 'outbound', text: 'Ihr Termin ist bestätigt' } },
        chat('e1', 'acme', 1500, 1000),
        { id: 'bad', account: 'acme', type: 'call', timestamp: T0, data: { duration_seconds: -5 } },
        chat('x1', 'ghost', 1, 1),
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 2 });
    expect(response.body.results[0]).toMatchObject({ status: 'accepted', cost: '2500' });
    expect(response.body.results[2]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed', field: 'data.duration_seconds' } });
    expect(response.body.results[3]).toMatchObject({ status: 'rejected', error: { code: 'not_found', resource: 'account' } });
  });

  test('a full batch over many accounts (split into parts committed at once on PostgreSQL) answers in order, charges each event once and keeps every balance equal to its ledger', async () => {
    const accounts = Array.from({ length: 7 }, (_, i) => `wide-${i}`);
    for (const id of accounts) expect((await server.call('POST', '/v1/accounts', { id, name: id, plan: 'payg' })).status).toBe(201);
    for (const id of accounts) await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '100000', reference: 'opening' });
    // 1,000 events: account i gets i + 1 shares, so the parts differ in size; every tenth repeats an
    // earlier id of its account, and one names an unknown account.
    const events = Array.from({ length: 1000 }, (_, n) => {
      const account = accounts[[0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6][n % 28]!]!;
      return chat(n % 10 === 9 ? `w${n - 1}` : `w${n}`, n === 500 ? 'ghost' : account, 1000, 0);
    });
    // Ids repeat only within their account: make the repeats land on the same account as their original.
    for (let n = 9; n < 1000; n += 10) events[n] = { ...events[n]!, account: events[n - 1]!.account };
    const response = await server.call('POST', '/v1/events/batch', { events });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 899, duplicates: 100, rejected: 1 });
    response.body.results.forEach((result: { index: number; status: string; id?: string }, n: number) => {
      expect(result.index).toBe(n);
      expect(result.status).toBe(n === 500 ? 'rejected' : n % 10 === 9 ? 'duplicate' : 'accepted');
    });
    const [stored] = await server.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM usage_events WHERE account_id LIKE 'wide-%'`);
    expect(stored!.n).toBe('899');
    for (const id of accounts) {
      const balance = (await server.call('GET', `/v1/accounts/${id}/balance`)).body.balance;
      expect(balance).toBe(await ledgerSum(server, id));
    }
    // 1,000 input tokens are 40 credits: 899 × 40 = 35,960 credits in all.
    const [debits] = await server.db.query<{ total: string }>(`SELECT (-sum(amount))::text AS total FROM ledger_entries WHERE account_id LIKE 'wide-%' AND kind = 'usage'`);
    expect(debits!.total).toBe('35960');
  });

  test('WhatsApp: a reply inside 24 hours of the contact\'s message is free but its tokens; after 24 hours it is refused', async () => {
    const inbound = await server.call('POST', '/v1/events', { id: 'w1', account: 'acme', type: 'whatsapp', timestamp: T0, data: { direction: 'inbound', contact: '+4915100000' } });
    expect(inbound.body.cost).toBe('0');
    server.clock.set('2026-03-02T00:00:00Z');
    const reply = await server.call('POST', '/v1/events', {
      id: 'w2', account: 'acme', type: 'whatsapp', timestamp: '2026-03-01T23:59:59Z', data: { direction: 'outbound', contact: '+4915100000', output_tokens: 500 },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.cost).toBe('100');
    server.clock.set('2026-03-02T01:00:00Z');
    const late = await server.call('POST', '/v1/events', {
      id: 'w3', account: 'acme', type: 'whatsapp', timestamp: '2026-03-02T00:00:00Z', data: { direction: 'outbound', contact: '+4915100000' },
    });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('whatsapp_window_closed');
    expect((await server.call('GET', '/v1/events/w3?account=acme')).status).toBe(404);
    const authorize = await server.call('POST', '/v1/accounts/acme/authorize', { type: 'whatsapp', data: { direction: 'outbound', contact: '+4915100000' } });
    expect(authorize.body).toMatchObject({ allowed: false, reason: 'whatsapp_window_closed' });
    server.clock.set(T0);
  });

  test('a prepaid account pauses when its credits run out, records in-flight usage, and resumes on a top-up', async () => {
    await server.call('POST', '/v1/accounts', { id: 'tiny', name: 'Tiny', plan: 'payg' });
    expect((await server.call('GET', '/v1/accounts/tiny')).body.status).toBe('paused');
    expect((await server.call('POST', '/v1/accounts/tiny/authorize', { type: 'call' })).body).toMatchObject({ allowed: false, reason: 'insufficient_balance' });

    const topUp = await server.call('POST', '/v1/accounts/tiny/topups', { amount: '100', reference: 'pay_1' });
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ balance: '100', status: 'active' });
    expect((await server.call('POST', '/v1/accounts/tiny/authorize', { type: 'call' })).body.allowed).toBe(true);
    expect((await server.call('POST', '/v1/accounts/tiny/authorize', { type: 'call', data: { duration_seconds: 120 } })).body).toMatchObject({
      allowed: false,
      reason: 'insufficient_balance',
    });

    const call = await server.call('POST', '/v1/events', { id: 'call1', account: 'tiny', type: 'call', timestamp: T0, data: { duration_seconds: 120 } });
    expect(call.status).toBe(201);
    expect(call.body.cost).toBe('190');
    const paused = await server.call('GET', '/v1/accounts/tiny/balance');
    expect(paused.body).toMatchObject({ balance: '-90', status: 'paused' });

    const repeat = await server.call('POST', '/v1/accounts/tiny/topups', { amount: '100', reference: 'pay_1' });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ duplicate: true, balance: '-90' });

    const resume = await server.call('POST', '/v1/accounts/tiny/topups', { amount: '500', reference: 'pay_2' });
    expect(resume.body).toMatchObject({ balance: '410', status: 'active' });
    expect(await ledgerSum(server, 'tiny')).toBe('410');
  });

  test('grants are drawn soonest expiry first, and lapse when they expire', async () => {
    await server.call('POST', '/v1/accounts', { id: 'exp', name: 'Expiring', plan: 'payg' });
    await server.call('POST', '/v1/accounts/exp/topups', { amount: '1000', reference: 'late', expiresAt: '2026-06-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts/exp/topups', { amount: '300', reference: 'soon', expiresAt: '2026-03-10T00:00:00Z' });
    await server.call('POST', '/v1/events', chat('x1', 'exp', 5000, 0));
    const grants = (await server.call('GET', '/v1/accounts/exp/balance')).body.grants;
    expect(grants.find((g: any) => g.amount === '300').remaining).toBe('100');
    expect(grants.find((g: any) => g.amount === '1000').remaining).toBe('1000');

    server.clock.set('2026-03-11T00:00:00Z');
    await server.call('POST', '/v1/events', chat('x2', 'exp', 1000, 0, '2026-03-11T00:00:00Z'));
    const after = (await server.call('GET', '/v1/accounts/exp/balance')).body;
    expect(after.balance).toBe('960');
    const ledger = (await server.call('GET', '/v1/accounts/exp/ledger')).body.entries;
    expect(ledger.map((e: any) => [e.kind, e.amount])).toEqual([
      ['topup', '1000'],
      ['topup', '300'],
      ['usage', '-200'],
      ['expiry', '-100'],
      ['usage', '-40'],
    ]);
    server.clock.set(T0);
  });

  test('the ledger pages with a cursor and its entries sum to the balance', async () => {
    const first = await server.call('GET', '/v1/accounts/acme/ledger?limit=2');
    expect(first.body.entries).toHaveLength(2);
    const second = await server.call('GET', `/v1/accounts/acme/ledger?limit=1000&cursor=${first.body.nextCursor}`);
    const all = [...first.body.entries, ...second.body.entries];
    expect(new Set(all.map((e: any) => e.id)).size).toBe(all.length);
    const balance = (await server.call('GET', '/v1/accounts/acme/balance')).body.balance;
    expect(await ledgerSum(server, 'acme')).toBe(balance);
    expect(all[all.length - 1].balanceAfter).toBe(balance);
  });

  test('ledger entries cannot be changed or deleted, even by SQL', async () => {
    await expect(server.db.query("UPDATE ledger_entries SET amount = 1 WHERE account_id = 'acme'")).rejects.toThrow(/append-only/);
    await expect(server.db.query("DELETE FROM ledger_entries WHERE account_id = 'acme'")).rejects.toThrow(/append-only/);
  });

  test('accounts list and get; the OpenAPI document describes the API', async () => {
    const list = await server.call('GET', '/v1/accounts');
    expect(list.body.accounts.map((a: any) => a.id)).toEqual(expect.arrayContaining(['acme', 'tiny']));
    // Search looks in ids and names, in any case; its wildcards are plain characters.
    const ids = async (search: string) => (await server.call('GET', `/v1/accounts?search=${encodeURIComponent(search)}`)).body.accounts.map((a: any) => a.id);
    expect(await ids('ACM')).toEqual(['acme']);
    expect(await ids('Tin')).toEqual(['tiny']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('a_m')).toEqual([]);
    expect(await ids('\\')).toEqual([]);
    expect((await server.call('GET', `/v1/accounts?search=${'a'.repeat(101)}`)).body.error).toMatchObject({ code: 'validation_failed', field: 'search' });
    const twice = await server.call('GET', '/v1/accounts?search=a&search=b');
    expect(twice.status).toBe(422);
    expect(twice.body.error).toMatchObject({ field: 'search' });
    const openapi: any = await fetch(`${server.url}/v1/openapi.json`).then((r) => r.json());
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/events/batch', '/v1/accounts/{id}/authorize']));
    expect(JSON.stringify(openapi.paths['/v1/events'].post.requestBody)).toContain('duration_seconds');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}/deliveries', '/v1/alert-rules', '/v1/accounts/{id}/dashboard-links']));
    // Every type the server sends is documented, none of them as "reserved".
    expect(Object.keys(openapi.webhooks)).toEqual([...WEBHOOK_EVENT_TYPES]);
    expect(JSON.stringify(openapi.webhooks)).not.toContain('Reserved');
    expect(JSON.stringify(openapi.webhooks['usage.threshold_reached'].post.requestBody)).toContain('remaining');
  });

  test('an account takes a contact e-mail and changes its name or e-mail; bad values are refused naming the field', async () => {
    const opened = await server.call('POST', '/v1/accounts', { id: 'mail', name: 'Mail', plan: 'payg', email: 'owner@example.com' });
    expect(opened.body).toMatchObject({ id: 'mail', email: 'owner@example.com' });
    const renamed = await server.call('PATCH', '/v1/accounts/mail', { name: 'Mail GmbH' });
    expect(renamed.body).toMatchObject({ name: 'Mail GmbH', email: 'owner@example.com' });
    expect((await server.call('PATCH', '/v1/accounts/mail', { email: null })).body).toMatchObject({ name: 'Mail GmbH', email: null });
    const bad = await server.call('PATCH', '/v1/accounts/mail', { email: 'not an address' });
    expect([bad.status, bad.body.error.field]).toEqual([422, 'email']);
    expect((await server.call('PATCH', '/v1/accounts/mail', {})).body.error.field).toBe('name');
    expect((await server.call('PATCH', '/v1/accounts/mail', { plan: 'growth' })).body.error.field).toBe('plan');
    expect((await server.call('PATCH', '/v1/accounts/nobody', { name: 'X' })).status).toBe(404);
    expect((await server.call('GET', '/v1/accounts/mail')).body).toMatchObject({ name: 'Mail GmbH', email: null, plan: 'payg' });
  });

  test('account metadata holds the operator references: set at opening, merged by PATCH, a null value removes a key', async () => {
    const opened = await server.call('POST', '/v1/accounts', { id: 'meta', name: 'Meta', plan: 'payg', metadata: { stripeCustomer: 'cus_123' } });
    expect(opened.body.metadata).toEqual({ stripeCustomer: 'cus_123' });
    const merged = await server.call('PATCH', '/v1/accounts/meta', { metadata: { stripeSource: 'card_9', crm: 'x-1' } });
    expect(merged.body.metadata).toEqual({ stripeCustomer: 'cus_123', stripeSource: 'card_9', crm: 'x-1' });
    expect((await server.call('PATCH', '/v1/accounts/meta', { metadata: { crm: null } })).body.metadata).toEqual({ stripeCustomer: 'cus_123', stripeSource: 'card_9' });
    const badKey = await server.call('PATCH', '/v1/accounts/meta', { metadata: { 'no spaces': 'x' } });
    expect([badKey.status, badKey.body.error.field]).toEqual([422, 'metadata.no spaces']);
    const badValue = await server.call('POST', '/v1/accounts', { id: 'meta2', name: 'M', plan: 'payg', metadata: { n: 5 } });
    expect([badValue.status, badValue.body.error.field]).toEqual([422, 'metadata.n']);
    expect((await server.call('GET', '/v1/accounts/meta2')).status).toBe(404);
  });

  test('an explicit anchor must fall on a whole hour; the default is the start of the current hour', async () => {
    const off = await server.call('POST', '/v1/accounts', { id: 'anchored', name: 'A', plan: 'payg', anchor: '2026-03-01T10:30:00Z' });
    expect([off.status, off.body.error.field]).toEqual([422, 'anchor']);
    server.clock.set('2026-03-01T10:42:17Z');
    expect((await server.call('POST', '/v1/accounts', { id: 'anchored', name: 'A', plan: 'payg' })).body.anchor).toBe('2026-03-01T10:00:00.000Z');
  });
});
