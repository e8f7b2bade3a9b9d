// Spend limits of postpaid accounts, on both stores. Minutes preset (DOMAIN.md model 1): Pay as you
// go bills a call minute at 0.15 EUR, to the second (0.0025 EUR a second). A limit of 3.00 EUR per
// cycle: authorize and reservations refuse what would cost more than the limit leaves, the
// cycle's spend reaching it sends spend_limit.reached once, and usage in flight is still recorded.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('spend limits on %s', (store) => {
  let server: TestServer;
  const limit = (body?: object) => server.call(body ? 'PUT' : 'DELETE', '/v1/accounts/voice/spend-limit', body);
  const authorize = (data: object = {}) => server.call('POST', '/v1/accounts/voice/authorize', { type: 'call', data });
  let n = 0;
  const call = (seconds: number) =>
    server.call('POST', '/v1/events', { id: `call-${++n}`, account: 'voice', type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: seconds } });
  const notices = () => server.db.query<{ data: any }>(`SELECT data FROM outbox_messages WHERE account_id = 'voice' AND type = 'spend_limit.reached' ORDER BY occurred_at, id`);

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-04-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'voice', name: 'Voice', plan: 'payg', anchor: '2026-04-01T00:00:00Z' });
    server.clock.set('2026-04-02T10:00:00Z');
  });
  afterAll(() => server.stop());

  test('without a limit a postpaid call may last as long as it likes: maxDurationSeconds is null', async () => {
    expect((await authorize({ duration_seconds: 600 })).body).toMatchObject({ allowed: true, estimatedCost: '1.5', maxDurationSeconds: null });
  });

  test('a limit of 3.00 EUR lets a call last 1,200 seconds (3.00 / 0.0025)', async () => {
    const set = await limit({ amount: '3.00' });
    expect(set).toMatchObject({ status: 200, body: { account: 'voice', limit: '3', previous: null, currency: 'EUR', spent: '0', remaining: '3', reached: false } });
    expect(set.body.cycle).toEqual({ start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' });
    expect((await server.call('GET', '/v1/accounts/voice')).body.spendLimit).toBe('3');
    expect((await authorize({ duration_seconds: 600 })).body).toMatchObject({ allowed: true, estimatedCost: '1.5', maxDurationSeconds: 1200 });
  });

  test('after a 15-minute call (2.25 EUR) a 10-minute call (1.50) is refused: the limit leaves 0.75, 300 seconds', async () => {
    expect((await call(900)).status).toBe(201);
    const refused = (await authorize({ duration_seconds: 600 })).body;
    expect(refused).toMatchObject({ allowed: false, reason: 'spend_limit_reached' });
    expect(refused.message).toBe('The estimated cost 1.5 EUR exceeds the 0.75 EUR the spend limit of 3 EUR leaves in this cycle.');
    expect((await authorize()).body).toMatchObject({ allowed: true, maxDurationSeconds: 300 });
    expect((await server.call('GET', '/v1/accounts/voice/spend-limit')).body).toMatchObject({ limit: '3', spent: '2.25', remaining: '0.75', reached: false });
  });

  test('a reservation holds against the limit: 4 minutes held (0.60) leave 60 seconds; a second one for 2 minutes is refused', async () => {
    const held = await server.call('POST', '/v1/accounts/voice/reservations', { type: 'call', estimate: { duration_seconds: 240 } });
    expect(held).toMatchObject({ status: 201, body: { held: '0.6' } });
    expect((await authorize()).body).toMatchObject({ allowed: true, maxDurationSeconds: 60 });
    const second = await server.call('POST', '/v1/accounts/voice/reservations', { type: 'call', estimate: { duration_seconds: 120 } });
    expect(second).toMatchObject({ status: 422, body: { error: { code: 'spend_limit_reached' } } });
    expect(second.body.error.message).toBe('The estimated cost 0.3 EUR exceeds the 0.15 EUR the spend limit of 3 EUR leaves in this cycle.');
    await server.call('DELETE', `/v1/accounts/voice/reservations/${held.body.id}`);
  });

  test('the spend reaching 3.00 sends spend_limit.reached once; the next call is refused, and one in flight is still recorded', async () => {
    expect(await notices()).toHaveLength(0);
    expect((await call(300)).status).toBe(201); // 0.75: 3.00 spent
    const [notice, ...more] = await notices();
    expect(more).toHaveLength(0);
    expect(notice!.data).toMatchObject({
      account: 'voice',
      limit: '3',
      spent: '3',
      currency: 'EUR',
      cycle: { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' },
      links: { account: '/v1/accounts/voice' },
    });

    const refused = (await authorize()).body;
    expect(refused).toMatchObject({ allowed: false, reason: 'spend_limit_reached', message: "The cycle's spend 3 EUR has reached the spend limit of 3 EUR." });
    expect((await server.call('POST', '/v1/accounts/voice/reservations', { type: 'call', estimate: { duration_seconds: 60 } })).body.error.code).toBe('spend_limit_reached');

    // A call that was running when the limit was reached still ends and is billed: 0.15 EUR.
    expect((await call(60)).body).toMatchObject({ status: 'accepted', cost: '0.15' });
    expect(await notices()).toHaveLength(1);
    expect((await server.call('GET', '/v1/accounts/voice/spend-limit')).body).toMatchObject({ spent: '3.15', remaining: '0', reached: true });
  });

  test('a higher limit lets calls through again, and reaching it is reported again', async () => {
    expect((await limit({ amount: '4.00' })).body).toMatchObject({ limit: '4', previous: '3', spent: '3.15', remaining: '0.85', reached: false });
    expect((await authorize()).body).toMatchObject({ allowed: true, maxDurationSeconds: 340 });
    await call(340); // 0.85
    expect((await notices()).map((m) => m.data.spent)).toEqual(['3', '4']);
  });

  test('a limit set below what the cycle has spent already is reported at once', async () => {
    expect((await limit({ amount: '2.00' })).body).toMatchObject({ limit: '2', reached: true, remaining: '0' });
    expect((await notices()).map((m) => [m.data.limit, m.data.spent])).toEqual([['3', '3'], ['4', '4'], ['2', '4']]);
  });

  test('the next cycle starts with nothing spent: calls are allowed again under the same limit', async () => {
    server.clock.set('2026-05-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/voice/cycles/close');
    expect((await authorize()).body).toMatchObject({ allowed: true, maxDurationSeconds: 800 });
    expect((await server.call('GET', '/v1/accounts/voice/spend-limit')).body).toMatchObject({ limit: '2', spent: '0', remaining: '2', reached: false });
  });

  test('DELETE removes the limit: maxDurationSeconds is null again', async () => {
    expect((await limit()).body).toMatchObject({ limit: null, previous: '2', remaining: null, reached: false });
    expect((await authorize()).body).toMatchObject({ allowed: true, maxDurationSeconds: null });
    expect((await server.call('GET', '/v1/accounts/voice')).body.spendLimit).toBeNull();
  });

  test('an amount with more than cents, zero or missing is refused naming amount; an unknown account is 404', async () => {
    for (const body of [{ amount: '1.005' }, { amount: '0' }, { amount: 5 }, {}, { amount: '5', extra: 1 }]) {
      const answer = await limit(body);
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('validation_failed');
    }
    expect((await limit({ amount: '1.005' })).body.error.field).toBe('amount');
    expect((await server.call('PUT', '/v1/accounts/nobody/spend-limit', { amount: '5' })).status).toBe(404);
  });
});

describe('spend limits on prepaid plans', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'credits' });
    await server.call('POST', '/v1/accounts', { id: 'chat', name: 'Chat', plan: 'starter' });
  });
  afterAll(() => server.stop());

  test('are refused: the balance limits a prepaid account already', async () => {
    const refused = await server.call('PUT', '/v1/accounts/chat/spend-limit', { amount: '50' });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'spend_limit_not_applicable' } } });
    expect(refused.body.error.message).toBe('A spend limit applies to postpaid plans billed in EUR; Starter is prepaid, and its balance limits its spending already.');
  });
});
