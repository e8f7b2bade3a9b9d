// Renting dedicated numbers, on both stores. Credits preset (DOMAIN.md model 2): a local number
// costs 10,000 credits a month, a mobile one 60,000; the first, partial cycle is prorated to the
// second. Starter grants 150,000 credits a month; cycles here run from the 1st (March: 31 days).
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('phone numbers on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'salon', name: 'Salon', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'garage', name: 'Garage', plan: 'payg' });
    await server.call('POST', '/v1/accounts/garage/topups', { amount: '5000', reference: 'small' });
  });
  afterAll(() => server.stop());

  test('a local number rented at the start of the cycle costs the full 10,000 credits', async () => {
    const rented = await server.call('POST', '/v1/accounts/salon/phone-numbers', { number: '+493012345678', type: 'local', country: 'DE' });
    expect(rented.status).toBe(201);
    expect(rented.body).toMatchObject({
      account: 'salon',
      number: '+493012345678',
      type: 'local',
      country: 'DE',
      monthlyRent: '10000',
      currency: 'credits',
      status: 'active',
      firstCharge: { amount: '10000', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
      balance: '140000',
    });
    expect(rented.body.id).toMatch(/^num_/);
  });

  test('a mobile number rented halfway through March costs half of 60,000 credits', async () => {
    // 16 March 12:00 leaves 15.5 of 31 days: 60,000 × 15.5 / 31 = 30,000.
    server.clock.set('2026-03-16T12:00:00Z');
    const rented = await server.call('POST', '/v1/accounts/salon/phone-numbers', { number: '+4915112345678', type: 'mobile', country: 'DE' });
    expect(rented.body).toMatchObject({ firstCharge: { amount: '30000' }, balance: '110000' });

    const ledger = (await server.call('GET', '/v1/accounts/salon/ledger')).body;
    const fees = ledger.entries.filter((e: { kind: string }) => e.kind === 'fee');
    expect(fees.map((e: { amount: string; description: string }) => [e.amount, e.description])).toEqual([
      ['-10000', 'Phone number +493012345678 (local, DE), 2026-03-01 – 2026-03-31'],
      ['-30000', 'Phone number +4915112345678 (mobile, DE), 2026-03-16 – 2026-03-31'],
    ]);
  });

  test('the cost report shows the rents on the phone numbers channel, by number', async () => {
    const byChannel = (await server.call('GET', '/v1/reports/costs?account=salon&period=current_cycle&groupBy=channel')).body;
    expect(byChannel.groups).toEqual([
      expect.objectContaining({ channel: 'phone_numbers', channelName: 'Phone numbers', amount: '40000', charges: 2, quantities: [{ unit: 'number', quantity: '2', included: '0', amount: '40000', charges: 2 }] }),
    ]);
    const byNumber = (await server.call('GET', '/v1/reports/costs?account=salon&period=current_cycle&groupBy=number')).body;
    expect(byNumber.groups.map((g: { number: string; amount: string }) => [g.number, g.amount])).toEqual([
      ['+4915112345678', '30000'],
      ['+493012345678', '10000'],
    ]);
  });

  test('a number is rented by one account at a time; released, another may rent it', async () => {
    const again = await server.call('POST', '/v1/accounts/garage/phone-numbers', { number: '+493012345678', type: 'local', country: 'DE' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_exists', resource: 'phone_number', message: 'The number +493012345678 is rented already; release it first.' } } });

    const listed = (await server.call('GET', '/v1/accounts/salon/phone-numbers')).body.phoneNumbers;
    const local = listed.find((n: { number: string }) => n.number === '+493012345678');
    const released = await server.call('DELETE', `/v1/accounts/salon/phone-numbers/${local.id}`);
    expect(released.body).toMatchObject({ status: 'released', releasedAt: '2026-03-16T12:00:00.000Z' });
    // Nothing is refunded, and releasing twice answers the same release.
    expect((await server.call('GET', '/v1/accounts/salon/balance')).body.balance).toBe('110000');
    expect((await server.call('DELETE', `/v1/accounts/salon/phone-numbers/${local.id}`)).body.releasedAt).toBe('2026-03-16T12:00:00.000Z');
    expect((await server.call('GET', '/v1/accounts/salon/phone-numbers')).body.phoneNumbers).toHaveLength(1);
    expect((await server.call('GET', '/v1/accounts/salon/phone-numbers?status=all')).body.phoneNumbers).toHaveLength(2);
  });

  test('a prepaid account that cannot pay the rent is refused, and nothing is written', async () => {
    // 15.5 days of a local number: 5,000 credits; the garage has exactly that, less nothing held.
    server.clock.set('2026-03-16T12:00:01Z');
    const ledgerBefore = (await server.call('GET', '/v1/accounts/garage/ledger')).body.entries.length;
    const garageCycleStart = (await server.call('GET', '/v1/accounts/garage/balance')).body.cycle.start;
    expect(garageCycleStart).toBe('2026-03-01T00:00:00.000Z');
    const refused = await server.call('POST', '/v1/accounts/garage/phone-numbers', { number: '+4915199999999', type: 'mobile', country: 'DE' });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'insufficient_balance' } } });
    expect(refused.body.error.message).toBe('Renting +4915199999999 for the rest of this cycle costs 29999.98 credits, more than the 5000 credits the account has available.');
    expect((await server.call('GET', '/v1/accounts/garage/ledger')).body.entries).toHaveLength(ledgerBefore);
    expect((await server.call('GET', '/v1/accounts/garage/phone-numbers')).body.phoneNumbers).toEqual([]);
  });

  test('bad rentals are refused with the field named', async () => {
    for (const [body, field] of [
      [{ number: '030 1234', type: 'local', country: 'DE' }, 'number'],
      [{ number: '+493099999999', type: 'toll_free', country: 'DE' }, 'type'],
      [{ number: '+493099999999', type: 'local', country: 'de' }, 'country'],
      [{ number: '+493099999999', type: 'local' }, 'country'],
      [{ number: '+493099999999', type: 'local', country: 'DE', rent: 1 }, 'rent'],
    ] as const) {
      expect(await server.call('POST', '/v1/accounts/salon/phone-numbers', body)).toMatchObject({ status: 422, body: { error: { field } } });
    }
    expect((await server.call('POST', '/v1/accounts/nobody/phone-numbers', { number: '+493099999999', type: 'local', country: 'DE' })).status).toBe(404);
    expect((await server.call('DELETE', '/v1/accounts/salon/phone-numbers/num_nope')).status).toBe(404);
    expect((await server.call('GET', '/v1/accounts/salon/phone-numbers?status=gone')).body.error.field).toBe('status');
  });
});

describe('phone numbers in the minutes preset', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'minutes', now: '2026-03-10T12:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('a US local number costs 1.15 EUR a month; from 10 March 12:00 the rest of March is 0.80 EUR, accrued postpaid', async () => {
    // 21.5 of 31 days: 1.15 × 21.5 / 31 = 0.7975…, rounded half up to the cent.
    const rented = await server.call('POST', '/v1/accounts/clinic/phone-numbers', { number: '+12125550123', type: 'local', country: 'US' });
    expect(rented.body).toMatchObject({ monthlyRent: '1.15', currency: 'EUR', firstCharge: { amount: '0.8' }, balance: '-0.8' });
    const mobile = await server.call('POST', '/v1/accounts/clinic/phone-numbers', { number: '+4917612345678', type: 'mobile', country: 'DE' });
    // No country price for DE mobile: the default 6.00 EUR; 6 × 21.5 / 31 = 4.1612… → 4.16.
    expect(mobile.body).toMatchObject({ monthlyRent: '6', firstCharge: { amount: '4.16' }, balance: '-4.96' });
  });
});
