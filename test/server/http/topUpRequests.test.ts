// A prepaid customer buys balance from the dashboard, on both stores: the request reaches the
// operator as a signed webhook, the operator's checkout link reaches the dashboard, and the top-up
// with the request's id marks it paid. Credits preset (DOMAIN.md model 2): Starter grants 150,000
// credits a month; the catalog sells credits at 0.40 EUR per 1,000, net.
import { type Receiver, startReceiver } from '../webhooks/receiver';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const CHECKOUT = 'https://checkout.stripe.com/c/pay/cs_test_a1';

describe.each(STORES)('top-up requests on %s', (store) => {
  let server: TestServer;
  let receiver: Receiver;
  let link: string;
  let requestId: string;

  const dashboard = async (method: 'GET' | 'POST', path: string, body?: unknown, token = link) => {
    const response = await fetch(`${server.url}/dashboard/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const summary = async () => (await dashboard('GET', 'summary')).body;
  const requested = () => receiver.received.filter((m) => m.type === 'topup.requested');

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    receiver = await startReceiver();
    receiver.secret = (await server.call('POST', '/v1/webhooks', { url: receiver.url, events: ['topup.requested'] })).body.secret;
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter', email: 'owner@shop.example', anchor: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'other', name: 'Other', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    server.clock.set('2026-03-10T09:00:00Z');
    link = (await server.call('POST', '/v1/accounts/shop/dashboard-links', {})).body.token;
  });
  afterAll(async () => {
    await server.stop();
    await receiver.close();
  });

  test("the dashboard offers a top-up: the balance's worth, the price per 1,000 credits, the plan's package to start from", async () => {
    // 150,000 credits at 0.40 EUR per 1,000: 60.00 EUR.
    expect((await summary()).topUp).toEqual({ unit: 'credits', currency: 'EUR', price: { amount: '0.4', per: 1000 }, value: '60.00', suggested: '150000', request: null });
  });

  test('the customer asks for 50,000 credits: 20.00 EUR net, and the operator hears of it once however often they click', async () => {
    const made = await dashboard('POST', 'topup-requests', { amount: '50000' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ account: 'shop', amount: '50000', price: { net: '20.00', currency: 'EUR' }, status: 'waiting_for_link', checkoutUrl: null, paidAt: null, requestedAt: '2026-03-10T09:00:00.000Z' });
    requestId = made.body.id;
    const again = await dashboard('POST', 'topup-requests', { amount: '50000' });
    expect(again).toMatchObject({ status: 200, body: { id: requestId } });
    await receiver.waitFor(() => requested().length >= 1);
    expect(requested()).toHaveLength(1);
    expect(requested()[0]!.data).toEqual({
      account: 'shop',
      request: requestId,
      reference: requestId,
      amount: '50000',
      unit: 'credits',
      // What to charge: 20.00 net, 19% VAT 3.80, 23.80.
      price: { net: '20.00', tax: '3.80', gross: '23.80', currency: 'EUR' },
      email: 'owner@shop.example',
      links: { account: '/v1/accounts/shop', balance: '/v1/accounts/shop/balance', ledger: '/v1/accounts/shop/ledger', checkout: `/v1/topup-requests/${requestId}/checkout` },
    });
    expect((await summary()).topUp.request).toMatchObject({ id: requestId, status: 'waiting_for_link' });
  });

  test('the checkout link the operator sends shows on the dashboard; the top-up with the request as reference marks it paid', async () => {
    const answered = await server.call('POST', `/v1/topup-requests/${requestId}/checkout`, { url: CHECKOUT });
    expect(answered).toMatchObject({ status: 200, body: { id: requestId, status: 'ready', checkoutUrl: CHECKOUT, answeredAt: '2026-03-10T09:00:00.000Z' } });
    expect((await summary()).topUp.request).toMatchObject({ status: 'ready', checkoutUrl: CHECKOUT });

    server.clock.set('2026-03-10T09:05:00Z');
    expect((await server.call('POST', '/v1/accounts/shop/topups', { amount: '50000', reference: requestId })).status).toBe(201);
    const after = await summary();
    expect(after.topUp.request).toMatchObject({ id: requestId, status: 'paid', paidAt: '2026-03-10T09:05:00.000Z' });
    // 200,000 credits: 80.00 EUR.
    expect(after.topUp.value).toBe('80.00');
    expect(await server.call('GET', `/v1/topup-requests/${requestId}`)).toMatchObject({ status: 200, body: { status: 'paid' } });
    expect(await server.call('POST', `/v1/topup-requests/${requestId}/checkout`, { url: CHECKOUT })).toMatchObject({ status: 422, body: { error: { code: 'topup_request_paid' } } });
  });

  test('after a paid request the same amount makes a new one; a request older than a day leaves the dashboard', async () => {
    const next = await dashboard('POST', 'topup-requests', { amount: '50000' });
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(requestId);
    await receiver.waitFor(() => requested().length >= 2);
    server.clock.set('2026-03-11T09:05:00Z');
    expect((await summary()).topUp.request).toBeNull();
  });

  test('bad requests are refused with the field named, and write nothing', async () => {
    const before = (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM topup_requests'))[0]!.n;
    for (const body of [{ amount: '0' }, { amount: '-5' }, { amount: 'lots' }, { amount: 50000 }, {}, { amount: '1e5' }]) {
      expect(await dashboard('POST', 'topup-requests', body)).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', field: 'amount' } } });
    }
    expect(await dashboard('POST', 'topup-requests', { amount: '10', extra: 1 })).toMatchObject({ status: 422, body: { error: { field: 'extra' } } });
    for (const url of ['javascript:alert(1)', 'ftp://files.example/x', 'not a url', `https://x.example/${'a'.repeat(2000)}`]) {
      expect(await server.call('POST', `/v1/topup-requests/${requestId}/checkout`, { url })).toMatchObject({ status: 422, body: { error: { field: 'url' } } });
    }
    for (const amount of [{ $gt: 1 }, ['1000'], '10\u0000', '\uD800', '1'.repeat(100), '99999999999999']) {
      expect(await dashboard('POST', 'topup-requests', { amount })).toMatchObject({ status: 422, body: { error: { field: 'amount' } } });
    }
    for (const url of [`${CHECKOUT}\u0000`, `${CHECKOUT}\uD800`, { href: CHECKOUT }]) {
      expect(await server.call('POST', `/v1/topup-requests/${requestId}/checkout`, { url })).toMatchObject({ status: 422, body: { error: { field: 'url' } } });
    }
    expect(await server.call('POST', '/v1/topup-requests/tur_nothing/checkout', { url: CHECKOUT })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await server.call('GET', '/v1/topup-requests/tur_nothing')).toMatchObject({ status: 404 });
    expect((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM topup_requests'))[0]!.n).toBe(before);
  });

  test("a link asks for its own account only; a key limited to other accounts does not see the request", async () => {
    expect(await dashboard('POST', 'topup-requests?account=other', { amount: '1000' })).toMatchObject({ status: 403, body: { error: { code: 'account_not_permitted' } } });
    const limited = await server.call('POST', '/v1/api-keys', { name: 'other only', scopes: ['read'], accounts: ['other'] });
    expect(limited.status).toBe(201);
    const asLimited = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${limited.body.key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect((await asLimited('GET', `/v1/topup-requests/${requestId}`)).status).toBe(404);
    // Answering takes the admin scope, which is never limited to accounts.
    expect((await asLimited('POST', `/v1/topup-requests/${requestId}/checkout`, { url: CHECKOUT })).status).toBe(403);
  });

  test('the operator can ask on an account\u2019s behalf; an ended subscription has nothing to buy', async () => {
    const made = await server.call('POST', '/v1/accounts/other/topup-requests', { amount: '12345' });
    // 12,345 credits at 0.40 per 1,000: 4.938 EUR, 4.94 to the cent.
    expect(made).toMatchObject({ status: 201, body: { amount: '12345', price: { net: '4.94', currency: 'EUR' } } });
    expect((await server.call('POST', '/v1/accounts/other/cancel')).status).toBe(200);
    server.clock.set('2026-04-01T00:00:01Z');
    expect(await server.call('POST', '/v1/accounts/other/topup-requests', { amount: '1000' })).toMatchObject({ status: 422, body: { error: { code: 'subscription_ended' } } });
    expect(await server.call('POST', '/v1/accounts/nobody/topup-requests', { amount: '1000' })).toMatchObject({ status: 404 });
  });
});

describe('top-up requests of a postpaid account', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'dental', name: 'Dental', plan: 'starter' });
  });
  afterAll(() => server.stop());

  test('are refused, and its dashboard offers none: its usage is invoiced', async () => {
    expect(await server.call('POST', '/v1/accounts/dental/topup-requests', { amount: '10' })).toMatchObject({
      status: 422,
      body: { error: { code: 'postpaid_account', message: "Starter is billed after use: its usage is invoiced at the cycle's end, and there is no balance to top up." } },
    });
    const summary = await fetch(`${server.url}/dashboard/api/summary?account=dental`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(((await summary.json()) as { topUp: unknown }).topUp).toBeNull();
  });
});
