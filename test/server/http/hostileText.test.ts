// Text the store cannot keep (a NUL character, an unpaired surrogate) and times it cannot hold are
// refused with a 4xx naming the field, before any of it joins a transaction, on both stores.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';
const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const chat = (id: string, extra: object = {}) => ({ id, account: 'acme', type: 'chat', timestamp: T0, data: { input_tokens: 1000, output_tokens: 0 }, ...extra });

async function counts(server: TestServer) {
  const [row] = await server.db.query(
    `SELECT (SELECT count(*) FROM usage_events)::text AS events, (SELECT count(*) FROM accounts)::text AS accounts,
            (SELECT count(*) FROM webhook_endpoints)::text AS webhooks, (SELECT count(*) FROM alert_rules)::text AS rules`,
  );
  return row;
}

describe.each(STORES)('hostile text on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '100000', reference: 'pay-1' });
  });
  afterAll(async () => {
    await server.stop();
  });

  describe.each([
    ['a NUL character', NUL],
    ['an unpaired surrogate', LONE],
  ])('%s', (_what, text) => {
    test.each([
      ['an account name', 'POST', '/v1/accounts', { id: 'new', name: text, plan: 'payg' }, 'name'],
      ['account metadata', 'POST', '/v1/accounts', { id: 'new', name: 'New', plan: 'payg', metadata: { ref: text } }, 'metadata.ref'],
      ['a VAT id', 'PATCH', '/v1/accounts/acme', { billing: { vatId: text } }, 'billing.vatId'],
      ['a webhook description', 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['balance.low'], description: text }, 'description'],
      ['an alert rule description', 'POST', '/v1/alert-rules', { kind: 'balance_below', thresholds: ['10'], description: text }, 'description'],
      ['event metadata', 'POST', '/v1/events', chat('e1', { metadata: { note: text } }), 'metadata.note'],
      ['a metadata key', 'POST', '/v1/events', chat('e1', { metadata: { [text]: 'x' } }), `metadata.${text}`],
      ['an assistant label', 'POST', '/v1/events', chat('e1', { data: { input_tokens: 1, output_tokens: 0, assistant: text } }), 'data.assistant'],
    ])('in %s is refused with 422 naming the field, nothing written', async (_where, method, path, body, field) => {
      const before = await counts(server);
      const response = await server.call(method, path, body);
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field });
      expect(await counts(server)).toEqual(before);
    });
  });

  test('a body nested deeper than 32 levels is refused, however deep, and at once', async () => {
    // Written out by hand: JSON.stringify itself would overflow the stack at this depth.
    const deep = `${'['.repeat(200_000)}"x"${']'.repeat(200_000)}`;
    const response = await server.call('POST', '/v1/accounts', `{"id": "deep", "name": "Deep", "plan": "payg", "metadata": ${deep}}`);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toBe('nests deeper than 32 levels');
    expect(response.body.error.field).toMatch(/^metadata(\[0\]){31}$/);
  });

  test('an event in the year 0000 is refused naming the timestamp', async () => {
    const response = await server.call('POST', '/v1/events', chat('y0', { timestamp: '0000-01-01T00:00:00Z' }));
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe('timestamp');
  });

  test('a report from the year 0000 is refused naming from', async () => {
    const response = await server.call('GET', '/v1/reports/costs?account=acme&from=0000-01-01');
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe('from');
  });

  test.each([
    ['an account id', '/v1/accounts/ac%00me'],
    ['an account id in a sub-route', '/v1/accounts/ac%00me/ledger'],
    ['an event id', '/v1/events/e%00?account=acme'],
    ['an invoice id', '/v1/invoices/inv%00'],
    ['a webhook id', '/v1/webhooks/whe%00/deliveries'],
  ])('a NUL in %s is 404', async (_what, path) => {
    const response = await server.call('GET', path);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  test.each([
    ['the accounts list', '/v1/accounts?after=%00', 'after'],
    ['the accounts search', '/v1/accounts?search=a%00', 'search'],
    ['reservations', '/v1/accounts/acme/reservations?after=a%00', 'after'],
    ['the ledger', '/v1/accounts/acme/ledger?cursor=%00', 'cursor'],
  ])('a NUL in the cursor of %s is refused naming %s', async (_what, path, field) => {
    const response = await server.call('GET', path);
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe(field);
  });

  test('30 concurrent good events and one with a NUL: 30 recorded, the one refused', async () => {
    const good = Array.from({ length: 30 }, (_, i) => chat(`c${i}`));
    const responses = await Promise.all([...good, chat('bad', { metadata: { note: NUL } })].map((e) => server.call('POST', '/v1/events', e)));
    expect(responses.slice(0, 30).map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(responses[30]).toMatchObject({ status: 422, body: { error: { field: 'metadata.note' } } });
    const [row] = await server.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM usage_events WHERE id LIKE 'c%'`);
    expect(row!.n).toBe('30');
  });

  test('a batch of 50 good events and one with an unpaired surrogate records the 50 and rejects the one', async () => {
    const events = [...Array.from({ length: 50 }, (_, i) => chat(`g${i}`)), chat('lone', { metadata: { note: LONE } })];
    const response = await server.call('POST', '/v1/events/batch', { events });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 50, rejected: 1 });
    expect(response.body.results[50]).toMatchObject({ index: 50, status: 'rejected', error: { code: 'validation_failed', field: 'metadata.note' } });
  });

  test('event metadata is bounded like account metadata: 21 keys are refused', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    const response = await server.call('POST', '/v1/events', chat('meta', { metadata }));
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ field: 'metadata', message: 'at most 20 keys' });
  });
});
