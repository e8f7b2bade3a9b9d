// An idempotency key names one thing: the same event id (or top-up reference) sent again with the
// same content is a duplicate, charged once; with other content it is a 409 naming the first field
// that differs, and nothing is written, on both stores.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';
const call = (id: string, seconds: number, extra: object = {}) => ({
  id, account: 'acme', type: 'call', timestamp: T0, data: { duration_seconds: seconds, direction: 'outbound' }, ...extra,
});

async function written(server: TestServer) {
  const [row] = await server.db.query(
    `SELECT (SELECT count(*) FROM usage_events)::text AS events, (SELECT count(*) FROM ledger_entries)::text AS ledger, (SELECT count(*) FROM topups)::text AS topups`,
  );
  return row;
}

describe.each(STORES)('idempotency conflicts on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '10000', reference: 'pay-1' });
    // 90 seconds at 95 credits a minute: 142.5 credits.
    expect((await server.call('POST', '/v1/events', call('c1', 90, { metadata: { crm: 'A-1' } }))).body).toMatchObject({ status: 'accepted', cost: '142.5' });
  });
  afterAll(async () => {
    await server.stop();
  });

  test('the same call again, its time written in another offset, is a duplicate charged once', async () => {
    const before = await written(server);
    const again = await server.call('POST', '/v1/events', call('c1', 90, { timestamp: '2026-03-01T01:00:00+01:00', metadata: { crm: 'A-1' } }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', cost: '142.5' });
    expect(await written(server)).toEqual(before);
  });

  test.each([
    ['another duration', call('c1', 91, { metadata: { crm: 'A-1' } }), 'data.duration_seconds'],
    ['another field', call('c1', 90, { metadata: { crm: 'A-1' }, data: { duration_seconds: 90, direction: 'outbound', destination_country: 'US' } }), 'data.destination_country'],
    ['another type', { id: 'c1', account: 'acme', type: 'chat', timestamp: T0, data: { input_tokens: 1, output_tokens: 0 }, metadata: { crm: 'A-1' } }, 'type'],
    ['another time', call('c1', 90, { timestamp: '2026-02-28T23:59:59Z', metadata: { crm: 'A-1' } }), 'timestamp'],
    ['other metadata', call('c1', 90, { metadata: { crm: 'A-2' } }), 'metadata.crm'],
    ['no metadata', call('c1', 90), 'metadata.crm'],
  ])('the same id with %s is a 409 naming %s, and nothing is written', async (_what, event, field) => {
    const before = await written(server);
    const response = await server.call('POST', '/v1/events', event);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'idempotency_conflict', field });
    expect(response.body.error.message).toMatch(/^Event 'c1' was first sent with /);
    expect(await written(server)).toEqual(before);
  });

  test('in a batch the conflicting event is rejected with the same code and the others are recorded', async () => {
    const response = await server.call('POST', '/v1/events/batch', {
      events: [call('c1', 90, { metadata: { crm: 'A-1' } }), call('c1', 120), call('c2', 60), call('c2', 61)],
    });
    expect(response.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 2 });
    expect(response.body.results.map((r: { status: string; error?: { code: string; field: string } }) => [r.status, r.error?.field ?? null])).toEqual([
      ['duplicate', null],
      ['rejected', 'data.duration_seconds'],
      ['accepted', null],
      // The same id twice in one batch: the second, with another duration, conflicts with the first.
      ['rejected', 'data.duration_seconds'],
    ]);
    expect(response.body.results[1].error.code).toBe('idempotency_conflict');
  });

  test('a top-up reference reused with another amount is a 409 naming amount; the same amount again is the first top-up', async () => {
    const before = await written(server);
    const other = await server.call('POST', '/v1/accounts/acme/topups', { amount: '20000', reference: 'pay-1' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'amount' });
    const same = await server.call('POST', '/v1/accounts/acme/topups', { amount: '10000.00', reference: 'pay-1' });
    expect(same.status).toBe(200);
    expect(same.body.amount).toBe('10000');
    expect(await written(server)).toEqual(before);
  });
});
