// Bad input gets a 4xx that names the field, and writes nothing, on both stores.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';
const call = (data: object, extra: object = {}) => ({ id: 'c1', account: 'acme', type: 'call', timestamp: T0, data, ...extra });

async function counts(server: TestServer) {
  const [row] = await server.db.query<{ events: string; ledger: string; accounts: string }>(
    'SELECT (SELECT count(*) FROM usage_events)::text AS events, (SELECT count(*) FROM ledger_entries)::text AS ledger, (SELECT count(*) FROM accounts)::text AS accounts',
  );
  return row;
}

describe.each(STORES)('bad input on %s', (store) => {
  let server: TestServer;
  let before: Awaited<ReturnType<typeof counts>>;
  beforeAll(async () => {
    server = await startTestServer(store, { now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter' });
    before = await counts(server);
  });
  afterEach(async () => {
    expect(await counts(server)).toEqual(before);
  });
  afterAll(async () => {
    await server.stop();
  });

  test.each([
    ['a negative duration', call({ duration_seconds: -1 }), 'data.duration_seconds'],
    ['a duration given as a string', call({ duration_seconds: '60' }), 'data.duration_seconds'],
    ['a huge duration', call({ duration_seconds: 1e12 }), 'data.duration_seconds'],
    ['a missing duration', call({}), 'data.duration_seconds'],
    ['fractional tokens', { ...call({}), type: 'chat', data: { input_tokens: 1.5, output_tokens: 0 } }, 'data.input_tokens'],
    ['huge token counts', { ...call({}), type: 'chat', data: { input_tokens: 1e30, output_tokens: 0 } }, 'data.input_tokens'],
    ['an unknown field in data', call({ duration_seconds: 1, durration: 2 }), 'data.durration'],
    ['an unknown event type', { ...call({}), type: 'fax' }, 'type'],
    ['a missing id', { account: 'acme', type: 'call', timestamp: T0, data: { duration_seconds: 1 } }, 'id'],
    ['a timestamp that is not ISO 8601', call({ duration_seconds: 1 }, { timestamp: 'yesterday' }), 'timestamp'],
    ['an SMS without text or segments', { ...call({}), type: 'sms', data: { direction: 'outbound' } }, 'data.text'],
    ['an invalid direction', { ...call({}), type: 'sms', data: { direction: 'sideways', segments: 1 } }, 'data.direction'],
  ])('%s is refused with 422 naming %s', async (_name, event, field) => {
    const response = await server.call('POST', '/v1/events', event);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', field: expect.stringContaining(field.split('.').pop()!) });
    expect(response.body.error.field).toBe(field);
  });

  test('a timestamp far in the future is refused', async () => {
    const response = await server.call('POST', '/v1/events', call({ duration_seconds: 1 }, { timestamp: '2026-03-01T01:00:00Z' }));
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe('timestamp');
  });

  test('an event for an unknown account is 404', async () => {
    const response = await server.call('POST', '/v1/events', call({ duration_seconds: 1 }, { account: 'ghost' }));
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: 'not_found', resource: 'account', id: 'ghost' });
  });

  test('malformed JSON is 400', async () => {
    const response = await server.call('POST', '/v1/events', '{"id": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('malformed_json');
  });

  test('a batch of more than 1,000 events is refused whole', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => call({ duration_seconds: 1 }, { id: `b${i}` }));
    const response = await server.call('POST', '/v1/events/batch', { events });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ field: 'events', message: 'at most 1000 events per batch' });
  });

  test('an account on an unknown plan is refused naming the plan field', async () => {
    const response = await server.call('POST', '/v1/accounts', { id: 'new', name: 'New', plan: 'platinum' });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ field: 'plan' });
    expect(response.body.error.message).toContain('payg, starter, growth');
  });

  test.each([
    ['a number instead of a decimal string', { amount: 10, reference: 'r' }, 'amount'],
    ['a negative amount', { amount: '-5', reference: 'r' }, 'amount'],
    ['a zero amount', { amount: '0', reference: 'r' }, 'amount'],
    ['an absurd amount', { amount: '99999999999999', reference: 'r' }, 'amount'],
    ['a missing reference', { amount: '10' }, 'reference'],
    ['an expiry in the past', { amount: '10', reference: 'r', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
  ])('a top-up with %s is refused naming %s', async (_name, body, field) => {
    const response = await server.call('POST', '/v1/accounts/acme/topups', body);
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe(field);
  });

  test('a top-up for an unknown account is 404', async () => {
    expect((await server.call('POST', '/v1/accounts/ghost/topups', { amount: '1', reference: 'r' })).status).toBe(404);
  });

  test('authorize with data of the wrong type names the field', async () => {
    const response = await server.call('POST', '/v1/accounts/acme/authorize', { type: 'call', data: { duration_seconds: 'long' } });
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe('data.duration_seconds');
  });
});
