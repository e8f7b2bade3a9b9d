// Plan limits hold at all times, on both stores. Plans preset (DOMAIN.md model 4): Basic allows
// 1,000 documents, Scale 10,000. Counted resources past the plan's limit are refused, and a
// downgrade scheduled while the account fitted is not applied if it has outgrown the lower plan
// by the cycle's end: the account stays, and plan.change_failed says why.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('plan limits on %s', (store) => {
  let server: TestServer;
  const resources = (body: object) => server.call('PUT', '/v1/accounts/shop/resources', body);
  const account = async () => (await server.call('GET', '/v1/accounts/shop')).body;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'plans', now: '2026-04-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'scale', anchor: '2026-04-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('50,000 documents on Scale, which allows 10,000, are refused naming documents; 10,000 are accepted', async () => {
    const refused = await resources({ documents: 50000, assistants: 2 });
    expect(refused).toMatchObject({
      status: 422,
      body: { error: { code: 'plan_limits_exceeded', field: 'documents', limits: [{ limit: 'documents', allowed: 10000, current: 50000 }], features: [] } },
    });
    expect(refused.body.error.message).toBe('The account does not fit Scale: it allows documents at most 10000 (the account has 50000).');
    expect((await account()).resources).toEqual({});
    expect((await resources({ documents: 10000, assistants: 2 })).body.resources).toEqual({ documents: 10000, assistants: 2 });
  });

  test('a downgrade to Basic scheduled at 800 documents is not applied at the cycle end once the account has 5,000', async () => {
    await resources({ documents: 800, assistants: 2 });
    server.clock.set('2026-04-10T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/shop/plan-change', { plan: 'basic' })).body).toMatchObject({ kind: 'downgrade', scheduled: true });
    // Within Scale's limits, past Basic's.
    expect((await resources({ documents: 5000, assistants: 2 })).status).toBe(200);

    server.clock.set('2026-05-01T00:00:00Z');
    const closed = (await server.call('POST', '/v1/accounts/shop/cycles/close')).body.closed;
    expect(closed).toHaveLength(1);
    expect(await account()).toMatchObject({ plan: 'scale', scheduledChange: null });

    const messages = await server.db.query<{ type: string; data: any }>(`SELECT type, data FROM outbox_messages WHERE account_id = 'shop' AND type LIKE 'plan.%' ORDER BY occurred_at, id`);
    expect(messages.map((m) => m.type)).toEqual(['plan.change_scheduled', 'plan.change_failed']);
    expect(messages[1]!.data).toMatchObject({
      account: 'shop',
      from: { plan: 'scale', interval: 'month' },
      to: { plan: 'basic', interval: 'month' },
      reason: 'plan_limits_exceeded',
      limits: [{ limit: 'documents', allowed: 1000, current: 5000 }],
      features: [],
      message: 'The account does not fit Basic: it allows documents at most 1000 (the account has 5000). The account stays on Scale.',
    });
  });

  test('a downgrade the account still fits at the cycle end is applied', async () => {
    await resources({ documents: 900, assistants: 2 });
    server.clock.set('2026-05-10T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/plan-change', { plan: 'basic' });
    server.clock.set('2026-06-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/cycles/close');
    expect(await account()).toMatchObject({ plan: 'basic', scheduledChange: null });
    // Now on Basic, 1,001 documents are past its limit.
    expect((await resources({ documents: 1001 })).body.error).toMatchObject({ code: 'plan_limits_exceeded', field: 'documents' });
  });
});
