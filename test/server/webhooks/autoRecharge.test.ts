// Auto-recharge end to end through the API: one request per crossing, settled by a top-up with its
// reference, the monthly limit, and three unanswered requests switching it off.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { deliveriesSettled } from './outbox';
import { type Receiver, startReceiver } from './receiver';

describe.each(STORES)('auto-recharge on %s', (store) => {
  let server: TestServer;
  let receiver: Receiver;

  beforeEach(async () => {
    server = await startTestServer(store, { catalog: 'credits' });
    receiver = await startReceiver();
    const created = await server.call('POST', '/v1/webhooks', { url: receiver.url, events: ['recharge.requested', 'recharge.failed', 'topup.succeeded'] });
    receiver.secret = created.body.secret;
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg' });
    await server.call('POST', '/v1/accounts/shop/topups', { amount: '100', reference: 'first' });
  });
  afterEach(async () => {
    await server.stop();
    await receiver.close();
  });

  let n = 0;
  /** One chat of 1,000 input tokens: 40 credits. */
  const spend40 = async () => {
    const chat = { id: `chat-${(n += 1)}`, account: 'shop', type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } };
    expect((await server.call('POST', '/v1/events', chat)).status).toBe(201);
  };
  const ofType = (type: string) => receiver.received.filter((m) => m.type === type);

  test('falling below 50 asks once for the gap to 200; the top-up with its reference settles it, once', async () => {
    const set = await server.call('PUT', '/v1/accounts/shop/auto-recharge', { enabled: true, threshold: '50', targetBalance: '200', monthlyLimit: '300', timeoutMinutes: 30 });
    expect(set.status).toBe(200);
    await spend40();
    await spend40(); // 20: below 50
    await spend40(); // -20: still below, the request is open
    await receiver.waitFor(() => ofType('recharge.requested').length >= 1);
    await deliveriesSettled(server.db);
    const [request] = ofType('recharge.requested');
    expect(ofType('recharge.requested')).toHaveLength(1);
    // 180 credits at the catalog's 0.40 EUR per 1,000: 0.072 EUR, charged as 0.07; 19% VAT 0.0133, 0.01: 0.08.
    expect(request!.data).toMatchObject({ account: 'shop', amount: '180', price: { net: '0.07', tax: '0.01', gross: '0.08', currency: 'EUR' }, balance: '20', threshold: '50' });
    const reference = request!.data.reference;
    expect((await server.call('GET', '/v1/accounts/shop/auto-recharge')).body.openRequest).toMatchObject({ reference, amount: '180' });

    // The operator's workflow charged the customer and tops up with the reference, twice.
    expect((await server.call('POST', '/v1/accounts/shop/topups', { amount: '180', reference })).status).toBe(201);
    expect((await server.call('POST', '/v1/accounts/shop/topups', { amount: '180', reference })).status).toBe(200);
    expect((await server.call('GET', '/v1/accounts/shop/balance')).body.balance).toBe('160');
    await receiver.waitFor(() => ofType('topup.succeeded').length >= 2);
    expect(ofType('topup.succeeded')[1]!.data).toMatchObject({ reference, recharge: reference, balance: '160' });
    expect((await server.call('GET', '/v1/accounts/shop/auto-recharge')).body.openRequest).toBeNull();

    // 160 -> 40: the gap to 200 is 160, but only 120 of this month's 300 are left.
    for (let i = 0; i < 3; i += 1) await spend40();
    await receiver.waitFor(() => ofType('recharge.requested').length >= 2);
    expect(ofType('recharge.requested')[1]!.data).toMatchObject({ amount: '120', balance: '40' });
  });

  test('three requests in a row without a top-up in time fail and switch auto-recharge off', async () => {
    await server.call('PUT', '/v1/accounts/shop/auto-recharge', { enabled: true, threshold: '50', amount: '25', monthlyLimit: '1000', timeoutMinutes: 30 });
    await spend40(); // 60: still above the line
    for (let failure = 1; failure <= 3; failure += 1) {
      await spend40(); // 20, then -20, then -60: below the line with no request open
      await receiver.waitFor(() => ofType('recharge.requested').length >= failure);
      server.clock.advance(29 * 60_000);
      await server.deadlines.check();
      expect(ofType('recharge.failed')).toHaveLength(failure - 1);
      server.clock.advance(60_000);
      await server.deadlines.check();
      await receiver.waitFor(() => ofType('recharge.failed').length >= failure);
      expect(ofType('recharge.failed')[failure - 1]!.data).toMatchObject({ reason: 'no_topup_in_time', failuresInARow: failure, autoRechargeDisabled: failure === 3 });
    }
    expect((await server.call('GET', '/v1/accounts/shop/auto-recharge')).body).toMatchObject({ enabled: false, failuresInARow: 3, disabledReason: '3 requests in a row got no top-up' });
    await spend40();
    // Switched off: the spend made no fourth request (its outbox rows commit with it), and none was sent.
    expect(await server.db.query(`SELECT id FROM outbox_messages WHERE type = 'recharge.requested'`)).toHaveLength(3);
    await deliveriesSettled(server.db);
    expect(ofType('recharge.requested')).toHaveLength(3);
  });

  test('settings need either an amount or a target balance above the threshold', async () => {
    const put = (body: object) => server.call('PUT', '/v1/accounts/shop/auto-recharge', body);
    const both = await put({ enabled: true, threshold: '50', amount: '10', targetBalance: '200', monthlyLimit: '300' });
    expect([both.status, both.body.error.field]).toEqual([422, 'amount']);
    const low = await put({ enabled: true, threshold: '50', targetBalance: '40', monthlyLimit: '300' });
    expect([low.status, low.body.error.field]).toEqual([422, 'targetBalance']);
    expect((await server.call('PUT', '/v1/accounts/ghost/auto-recharge', { enabled: true, threshold: '5', amount: '10', monthlyLimit: '30' })).status).toBe(404);
    expect((await server.call('GET', '/v1/accounts/shop/auto-recharge')).body).toMatchObject({ enabled: false, openRequest: null });
  });
});
