// Add-on packs, on both stores. Minutes preset (DOMAIN.md model 1): Starter 59 EUR a month with
// 500 included minutes, then 0.12 EUR a minute; an "Extra minutes (100)" pack for 10 EUR. Credits
// preset: an "Extra credits (50,000)" pack for 20 EUR. VAT 19%.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('add-ons on %s', (store) => {
  let server: TestServer;
  const call = (id: string, minutes: number) =>
    server.call('POST', '/v1/events', { id, account: 'clinic', type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: minutes * 60 } });
  const minutes = async () => (await server.call('GET', '/v1/accounts/clinic/balance')).body.allowances[0];

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'starter' });
    await server.call('POST', '/v1/accounts', { id: 'walkin', name: 'Walk-in', plan: 'payg' });
  });
  afterAll(() => server.stop());

  test("100 extra minutes raise this cycle's allowance from 500 to 600; beyond them minutes cost 0.12", async () => {
    server.clock.set('2026-03-05T12:00:00Z');
    const bought = await server.call('POST', '/v1/accounts/clinic/add-ons', { addOn: 'extra_minutes_100' });
    expect(bought).toMatchObject({ status: 201, body: { addOn: 'extra_minutes_100', quantity: 1, unitPrice: '10', currency: 'EUR', added: { minutes: '100' } } });
    expect(await minutes()).toMatchObject({ included: '600', used: '0', remaining: '600' });
    expect((await call('k1', 550)).body.cost).toBe('0');
    // 60 more minutes: 50 still included, 10 beyond at 0.12 = 1.20.
    expect((await call('k2', 60)).body.cost).toBe('1.2');
    // The allowance counts what it covered: all 600 minutes.
    expect(await minutes()).toMatchObject({ included: '600', used: '600', remaining: '0' });
  });

  test("the cycle's invoice bills the pack; the next cycle is back to 500 minutes", async () => {
    server.clock.set('2026-04-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/clinic/cycles/close');
    const [invoice] = (await server.call('GET', '/v1/accounts/clinic/invoices')).body.invoices;
    expect(invoice.lines.map((l: { description: string; net: string }) => [l.description, l.net])).toEqual([
      ['Starter plan, 2026-03-01 – 2026-03-31', '59.00'],
      ['Extra minutes (100), 2026-03-01 – 2026-03-31', '10.00'],
      ['Call minutes, 2026-03-01 – 2026-03-31', '1.20'],
      // The plan's 500 minutes and the pack's 100 were all used.
      ['Included minutes, 2026-03-01 – 2026-03-31: 600 of 600 minutes used', '0.00'],
    ]);
    // 70.20 net; 19% = 13.338 → 13.34; 83.54.
    expect(invoice).toMatchObject({ net: '70.20', tax: '13.34', gross: '83.54' });
    expect(await minutes()).toMatchObject({ included: '500', used: '0' });
  });

  test('bad purchases are refused with the field named', async () => {
    expect((await server.call('POST', '/v1/accounts/clinic/add-ons', { addOn: 'gold' })).body.error).toMatchObject({ field: 'addOn' });
    expect((await server.call('POST', '/v1/accounts/clinic/add-ons', { addOn: 'extra_minutes_100', quantity: 0 })).body.error.field).toBe('quantity');
    // Pay as you go has no included minutes to add to.
    expect((await server.call('POST', '/v1/accounts/walkin/add-ons', { addOn: 'extra_minutes_100' })).body.error).toMatchObject({
      field: 'addOn',
      message: 'Pay as you go has no minutes allowance for Extra minutes (100) to add to',
    });
    expect((await server.call('POST', '/v1/accounts/nobody/add-ons', { addOn: 'extra_minutes_100' })).status).toBe(404);
  });
});

test('an extra credits pack adds credits that lapse with the cycle', async () => {
  const server = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  try {
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
    server.clock.set('2026-03-20T00:00:00Z');
    const bought = await server.call('POST', '/v1/accounts/shop/add-ons', { addOn: 'extra_credits_50k', quantity: 2 });
    expect(bought.body).toMatchObject({ added: { credits: '100000' } });
    const balance = (await server.call('GET', '/v1/accounts/shop/balance')).body;
    expect(balance.balance).toBe('250000');
    expect(balance.grants.find((g: { amount: string }) => g.amount === '100000')).toMatchObject({ kind: 'plan_credits', expiresAt: '2026-04-01T00:00:00.000Z' });
    server.clock.set('2026-04-01T00:00:00Z');
    const [closed] = (await server.call('POST', '/v1/accounts/shop/cycles/close')).body.closed;
    expect(closed.lapsed).toBe('250000');
    const [invoice] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
    // 49 + 2 × 20 = 89 net; 19% = 16.91; 105.91.
    expect(invoice).toMatchObject({ net: '89.00', tax: '16.91', gross: '105.91' });
  } finally {
    await server.stop();
  }
});
