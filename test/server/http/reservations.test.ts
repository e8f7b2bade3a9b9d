// Reservations: credit held for calls in progress. Credits preset (DOMAIN.md model 2): a call's
// connection costs 95 credits a minute, so five minutes of a call that names its tokens as none
// hold 475 credits. An estimate that names no tokens counts 750 a minute each way (the last test).
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('reservations on %s', (store) => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer(store, { catalog: 'credits' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg' });
  });
  afterEach(() => server.stop());

  const topUp = (amount: string) => server.call('POST', '/v1/accounts/shop/topups', { amount, reference: `top-${amount}-${Math.random()}` });
  const reserve = (body: object) => server.call('POST', '/v1/accounts/shop/reservations', body);
  // The holds' mechanics, apart from token estimates: these calls say they use no tokens.
  const noTokens = { input_tokens: 0, output_tokens: 0 };
  const fiveMinutes = { type: 'call', estimate: { duration_seconds: 300, ...noTokens } };
  const balance = async () => (await server.call('GET', '/v1/accounts/shop/balance')).body;
  const call = (id: string, seconds: number, reservation?: string) =>
    server.call('POST', '/v1/events', {
      id,
      account: 'shop',
      type: 'call',
      timestamp: server.clock.now().toISOString(),
      data: { duration_seconds: seconds },
      ...(reservation ? { reservation } : {}),
    });

  test('a five-minute call holds 475 credits: balance, authorize and later reservations see what is left', async () => {
    await topUp('1000');
    const created = await reserve(fiveMinutes);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ account: 'shop', type: 'call', status: 'active', held: '475', reserved: '475', expiresAt: '2026-03-01T00:10:00.000Z' });
    expect(created.body.id).toMatch(/^res_/);

    expect(await balance()).toMatchObject({ balance: '1000', held: '475', available: '525' });
    const tenMinutes = await server.call('POST', '/v1/accounts/shop/authorize', { type: 'call', data: { duration_seconds: 600, ...noTokens } });
    expect(tenMinutes.body).toMatchObject({ allowed: false, reason: 'insufficient_balance', balance: '1000', available: '525', held: '475' });
    const fiveMore = await server.call('POST', '/v1/accounts/shop/authorize', { type: 'call', data: { duration_seconds: 300, ...noTokens } });
    expect(fiveMore.body).toMatchObject({ allowed: true, estimatedCost: '475', available: '525' });

    expect((await reserve(fiveMinutes)).status).toBe(201);
    const third = await reserve(fiveMinutes);
    expect(third.status).toBe(422);
    expect(third.body.error).toMatchObject({ code: 'insufficient_balance' });
    expect(third.body.error.message).toContain('50');
  });

  test('ten concurrent calls on an account with credit for three: three are admitted', async () => {
    await topUp('1500'); // 3 × 475 = 1,425 fits; 4 × 475 = 1,900 does not
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(fiveMinutes)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.body.error.code).toBe('insufficient_balance');
    expect(await balance()).toMatchObject({ balance: '1500', held: '1425', available: '75' });
  });

  test('the event that names the reservation settles it: the actual cost is charged and the rest released', async () => {
    await topUp('1000');
    const { body: reservation } = await reserve(fiveMinutes);
    const event = await call('call-1', 120, reservation.id); // two minutes: 190 credits
    expect(event.status).toBe(201);
    expect(event.body.cost).toBe('190');

    const settled = (await server.call('GET', `/v1/accounts/shop/reservations/${reservation.id}`)).body;
    expect(settled).toMatchObject({ status: 'settled', held: '0', reserved: '475', settledBy: 'call-1', actualCost: '190' });
    expect(await balance()).toMatchObject({ balance: '810', held: '0', available: '810' });
    expect((await server.call('GET', '/v1/events/call-1?account=shop')).body.reservation).toBe(reservation.id);

    // A second event naming it (the call's second leg) is charged in full; the settlement stays.
    expect((await call('call-1b', 60, reservation.id)).body.cost).toBe('95');
    expect((await server.call('GET', `/v1/accounts/shop/reservations/${reservation.id}`)).body).toMatchObject({ settledBy: 'call-1', actualCost: '190' });
    expect(await balance()).toMatchObject({ balance: '715', available: '715' });
  });

  test('a call that runs past its reservation is charged in full, even into a negative balance', async () => {
    await topUp('500');
    const { body: reservation } = await reserve(fiveMinutes);
    const event = await call('long-call', 600, reservation.id); // ten minutes: 950 credits
    expect(event.body.cost).toBe('950');
    expect(await balance()).toMatchObject({ balance: '-450', held: '0', status: 'paused' });
  });

  test('an extension holds more and moves the expiry; it is refused when what is left cannot cover it', async () => {
    await topUp('1000');
    const { body: reservation } = await reserve({ ...fiveMinutes, ttlSeconds: 300 });
    server.clock.advance(240_000);
    const extended = await server.call('POST', `/v1/accounts/shop/reservations/${reservation.id}/extend`, { estimate: { duration_seconds: 300, ...noTokens } });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ status: 'active', held: '950', expiresAt: '2026-03-01T00:14:00.000Z' });
    expect(extended.body.holds.map((h: { amount: string }) => h.amount)).toEqual(['475', '475']);

    const again = await server.call('POST', `/v1/accounts/shop/reservations/${reservation.id}/extend`, { estimate: { duration_seconds: 300, ...noTokens } });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('insufficient_balance');
    expect(await balance()).toMatchObject({ held: '950', available: '50' });
  });

  test('an unsettled reservation expires after its TTL and holds nothing; late usage is still charged', async () => {
    await topUp('1000');
    const { body: reservation } = await reserve({ ...fiveMinutes, ttlSeconds: 60 });
    expect(await balance()).toMatchObject({ held: '475' });
    server.clock.advance(60_000);
    expect(await balance()).toMatchObject({ held: '0', available: '1000' });
    const expired = (await server.call('GET', `/v1/accounts/shop/reservations/${reservation.id}`)).body;
    expect(expired).toMatchObject({ status: 'expired', held: '0', closedAt: '2026-03-01T00:01:00.000Z' });
    const extend = await server.call('POST', `/v1/accounts/shop/reservations/${reservation.id}/extend`, { estimate: { duration_seconds: 60, ...noTokens } });
    expect(extend.status).toBe(422);
    expect(extend.body.error.code).toBe('reservation_expired');
    expect((await call('late', 60, reservation.id)).body.cost).toBe('95');
    expect(await balance()).toMatchObject({ balance: '905' });
  });

  test('a released reservation gives its hold back at once; releasing twice changes nothing', async () => {
    await topUp('1000');
    const { body: reservation } = await reserve(fiveMinutes);
    const released = await server.call('DELETE', `/v1/accounts/shop/reservations/${reservation.id}`);
    expect(released.body).toMatchObject({ status: 'released', held: '0', closedAt: '2026-03-01T00:00:00.000Z' });
    expect((await server.call('DELETE', `/v1/accounts/shop/reservations/${reservation.id}`)).body.status).toBe('released');
    expect(await balance()).toMatchObject({ held: '0', available: '1000' });
    const list = (await server.call('GET', '/v1/accounts/shop/reservations')).body;
    expect(list.reservations.map((r: { id: string }) => r.id)).toEqual([reservation.id]);
  });

  test('the same reference again returns the first reservation and holds nothing more', async () => {
    await topUp('1000');
    const first = await reserve({ ...fiveMinutes, reference: 'call-abc' });
    const second = await reserve({ ...fiveMinutes, reference: 'call-abc' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    expect(await balance()).toMatchObject({ held: '475' });
  });

  test('bad input gets a 4xx naming the field, and nothing is held', async () => {
    await topUp('1000');
    const cases: [object, number, string][] = [
      [{ type: 'fax', estimate: { duration_seconds: 60 } }, 422, 'type'],
      [{ type: 'call' }, 422, 'estimate'],
      [{ type: 'call', estimate: {} }, 422, 'estimate'],
      [{ type: 'call', estimate: { duration_seconds: -5 } }, 422, 'estimate.duration_seconds'],
      [{ type: 'call', estimate: { minutes: 5 } }, 422, 'estimate.minutes'],
      [{ ...fiveMinutes, ttlSeconds: 5 }, 422, 'ttlSeconds'],
      [{ ...fiveMinutes, ttlSeconds: 100_000 }, 422, 'ttlSeconds'],
      [{ ...fiveMinutes, amount: '5' }, 422, 'amount'],
    ];
    for (const [body, status, field] of cases) {
      const response = await reserve(body);
      expect({ body, status: response.status, field: response.body.error.field }).toEqual({ body, status, field });
    }
    expect((await server.call('POST', '/v1/accounts/nobody/reservations', fiveMinutes)).body.error).toMatchObject({ code: 'not_found', resource: 'account' });
    expect((await server.call('GET', '/v1/accounts/shop/reservations/res_nope')).status).toBe(404);
    expect((await server.call('POST', '/v1/accounts/shop/reservations/res_nope/extend', { estimate: { duration_seconds: 1 } })).status).toBe(404);

    // An event naming a reservation that does not exist, or one of another type, is refused whole.
    const unknown = await call('ghost', 60, 'res_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ resource: 'reservation', id: 'res_nope' });
    const { body: reservation } = await reserve(fiveMinutes);
    const sms = await server.call('POST', '/v1/events', {
      id: 'sms-1', account: 'shop', type: 'sms', timestamp: server.clock.now().toISOString(), data: { direction: 'outbound', segments: 1 }, reservation: reservation.id,
    });
    expect(sms.status).toBe(422);
    expect(sms.body.error.field).toBe('reservation');
    expect(await balance()).toMatchObject({ balance: '1000', held: '475' });
    expect((await server.call('GET', '/v1/events/ghost?account=shop')).status).toBe(404);
  });

  test('five minutes estimated without tokens hold 3,793.75 credits (the line 475, 3,750 tokens each way 1,106.25 + 2,212.5), so the call cannot run the balance below zero', async () => {
    await topUp('4000');
    const created = await reserve({ type: 'call', estimate: { duration_seconds: 300 } });
    expect(created.body).toMatchObject({ held: '3793.75' });
    // The call reports no tokens: it costs its line, 475, and the rest of the hold goes back.
    const settled = await call('tokens', 300, created.body.id);
    expect(settled.body.cost).toBe('475');
    const answer = await server.call('POST', '/v1/accounts/shop/authorize', { type: 'call' });
    // 3,525 credits left. 278 s: the line 440.17, 3,475 tokens each way 3,075.38, 3,515.54 in all;
    // 279 s: 441.75 and 3,488 tokens each way (rounded up) 3,086.88, 3,528.63: too much.
    expect(answer.body).toMatchObject({ allowed: true, available: '3525', maxDurationSeconds: 278 });
  });
});

describe.each(STORES)('reservations of included minutes on %s', (store) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(store, { catalog: 'minutes' });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'starter' });
  });
  afterEach(() => server.stop());

  test('a reservation holds included minutes first; the next one prices what lies beyond them', async () => {
    // Starter: 500 included minutes, then 0.12 EUR a minute. 497 minutes are used.
    const used = await server.call('POST', '/v1/events', {
      id: 'long', account: 'clinic', type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: 497 * 60 },
    });
    expect(used.body.cost).toBe('0');
    const first = await server.call('POST', '/v1/accounts/clinic/reservations', { type: 'call', estimate: { duration_seconds: 300 } });
    expect(first.body).toMatchObject({ held: '0.24', allowances: [{ meter: 'minutes', unit: 'minute', reserved: '3' }] });
    const second = await server.call('POST', '/v1/accounts/clinic/reservations', { type: 'call', estimate: { duration_seconds: 300 } });
    expect(second.body).toMatchObject({ held: '0.6', allowances: [] });
  });
});
