// Usage around a cycle's end, on both stores. The closer's timer is off (as in every HTTP test), so
// a cycle that has ended stays unclosed until something needs it closed.
// Credits preset (DOMAIN.md model 2, prepaid): Starter grants 150,000 credits a cycle, lapsing at
// its end; a 90-second call costs 142.5 credits. Minutes preset (model 1, postpaid EUR): pay as you
// go costs 0.15 EUR a minute, so a 600-second call costs 1.5 EUR.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('between a cycle end and its closing on %s', (store) => {
  let server: TestServer;
  const closings = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/cycles`)).body.closings as { cycle: { end: string } }[];

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    for (const id of ['caller', 'asker', 'holder', 'quiet']) {
      expect((await server.call('POST', '/v1/accounts', { id, name: id, plan: 'starter' })).status).toBe(201);
      expect((await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '1000', reference: `first-${id}` })).status).toBe(201);
    }
    // March ended half a minute ago; nothing has closed it yet.
    server.clock.set('2026-04-01T00:00:30Z');
  });
  afterAll(() => server.stop());

  test("a call in the new cycle closes the old one first and draws on the new cycle's credits, not on the top-up", async () => {
    const call = await server.call('POST', '/v1/events', { id: 'first-call', account: 'caller', type: 'call', timestamp: '2026-04-01T00:00:10Z', data: { duration_seconds: 90 } });
    expect(call.body).toMatchObject({ status: 'accepted', cost: '142.5' });
    expect((await closings('caller')).map((c) => c.cycle.end)).toEqual(['2026-04-01T00:00:00.000Z']);
    const explained = (await server.call('GET', '/v1/events/first-call/explanation?account=caller')).body;
    expect(explained.paidFrom).toEqual([expect.objectContaining({ kind: 'plan_credits', amount: '142.5' })]);
    // 150,000 new credits + the 1,000 top-up - 142.5.
    expect((await server.call('GET', '/v1/accounts/caller/balance')).body).toMatchObject({ balance: '150857.5', status: 'active' });
  });

  test('authorize closes the ended cycle first: a paid-up account is not refused for the credits that lapsed', async () => {
    const answer = await server.call('POST', '/v1/accounts/asker/authorize', { type: 'call', data: { duration_seconds: 600 } });
    expect(answer.body).toMatchObject({ allowed: true, balance: '151000', status: 'active' });
    expect(await closings('asker')).toHaveLength(1);
  });

  test('a reservation is held on the new cycle, after the closing', async () => {
    const held = await server.call('POST', '/v1/accounts/holder/reservations', { type: 'call', estimate: { duration_seconds: 60 }, ttlSeconds: 300 });
    expect(held.status).toBe(201);
    expect(await closings('holder')).toHaveLength(1);
  });

  test('the balance read closes it too, and a closing happens once however it is asked for', async () => {
    expect((await server.call('GET', '/v1/accounts/quiet/balance')).body).toMatchObject({ balance: '151000', status: 'active' });
    expect((await server.call('POST', '/v1/accounts/quiet/cycles/close')).body.closed).toEqual([]);
    expect(await closings('quiet')).toHaveLength(1);
  });

  test('a batch over accounts due and not due charges each once, on the right credits', async () => {
    server.clock.set('2026-05-01T00:00:05Z');
    const batch = await server.call('POST', '/v1/events/batch', {
      events: ['caller', 'asker', 'holder', 'quiet'].map((account) => ({ id: `may-${account}`, account, type: 'call', timestamp: '2026-05-01T00:00:01Z', data: { duration_seconds: 90 } })),
    });
    expect(batch.body.results.map((r: { status: string; cost: string }) => [r.status, r.cost])).toEqual(Array(4).fill(['accepted', '142.5']));
    for (const account of ['caller', 'asker', 'holder', 'quiet']) {
      expect((await closings(account)).map((c) => c.cycle.end)).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
      const explained = (await server.call('GET', `/v1/events/may-${account}/explanation?account=${account}`)).body;
      expect(explained.paidFrom).toEqual([expect.objectContaining({ kind: 'plan_credits', amount: '142.5' })]);
    }
  });
});

describe.each(STORES)('usage that arrives after its cycle closed on %s', (store) => {
  let server: TestServer;
  const invoicesOf = async () => (await server.call('GET', '/v1/accounts/clinic/invoices')).body.invoices as { period: { start: string }; lines: { description: string; quantity: string; net: string }[] }[];

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'payg' });
    server.clock.set('2026-03-31T23:00:00Z');
    expect((await server.call('POST', '/v1/events', { id: 'on-time', account: 'clinic', type: 'call', timestamp: '2026-03-31T22:00:00Z', data: { duration_seconds: 600 } })).body.cost).toBe('1.5');
    server.clock.set('2026-04-01T00:05:00Z');
    expect((await server.call('POST', '/v1/accounts/clinic/cycles/close')).body.closed).toHaveLength(1);
  });
  afterAll(() => server.stop());

  test("a call of 31 March reported after March's invoice went out is billed at the start of April, and says so", async () => {
    const late = await server.call('POST', '/v1/events', { id: 'late', account: 'clinic', type: 'call', timestamp: '2026-03-31T23:59:30Z', data: { duration_seconds: 600 } });
    expect(late.body).toMatchObject({ status: 'accepted', cost: '1.5' });
    const stored = (await server.call('GET', '/v1/events/late?account=clinic')).body;
    expect(stored).toMatchObject({ timestamp: '2026-03-31T23:59:30.000Z', billedAt: '2026-04-01T00:00:00.000Z' });
    expect((await server.call('GET', '/v1/events/on-time?account=clinic')).body.billedAt).toBeUndefined();
    const explained = (await server.call('GET', '/v1/events/late/explanation?account=clinic')).body;
    expect(explained.billedAt).toBe('2026-04-01T00:00:00.000Z');
    expect(explained.summary).toContain('It arrived after its cycle had closed and is billed in the open cycle, as of 2026-04-01T00:00:00.000Z.');
    // The ledger dates its debit when it was billed, as the reports do.
    const ledger = (await server.call('GET', '/v1/accounts/clinic/ledger?limit=100')).body.entries as { eventId: string | null; occurredAt: string; amount: string }[];
    expect(ledger.filter((e) => e.eventId === 'late')).toEqual([expect.objectContaining({ occurredAt: '2026-04-01T00:00:00.000Z', amount: '-1.5' })]);
    const report = await server.call('GET', '/v1/reports/costs?account=clinic&from=2026-04-01T00:00:00Z&to=2026-04-01T01:00:00Z');
    expect(report.body.totals).toEqual({ amount: '1.5', charges: 1 });
  });

  test("March's invoice is left as it went out; April's bills the late call", async () => {
    server.clock.set('2026-05-01T00:05:00Z');
    expect((await server.call('POST', '/v1/accounts/clinic/cycles/close')).body.closed).toHaveLength(1);
    const invoices = await invoicesOf();
    expect(invoices.map((i) => i.period.start).sort()).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    const march = invoices.find((i) => i.period.start.startsWith('2026-03'));
    const april = invoices.find((i) => i.period.start.startsWith('2026-04'));
    expect(march!.lines).toEqual([expect.objectContaining({ description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '10', net: '1.50' })]);
    expect(april!.lines).toEqual([expect.objectContaining({ description: 'Call minutes, 2026-04-01 – 2026-04-30', quantity: '10', net: '1.50' })]);
    // Both invoices settled what they billed: nothing is left owed.
    expect((await server.call('GET', '/v1/accounts/clinic/balance')).body.balance).toBe('0');
  });
});

describe.each(STORES)('usage recorded from before the account was opened on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-15T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'newcomer', name: 'Newcomer', plan: 'payg' });
  });
  afterAll(() => server.stop());

  test("a February call brought along is billed on the account's first invoice, beside its own first cycle's call", async () => {
    const history = await server.call('POST', '/v1/events', { id: 'from-february', account: 'newcomer', type: 'call', timestamp: '2026-02-20T10:00:00Z', data: { duration_seconds: 600 } });
    expect(history.body).toMatchObject({ status: 'accepted', cost: '1.5' });
    // Nothing had closed yet: the history keeps its own time.
    expect((await server.call('GET', '/v1/events/from-february?account=newcomer')).body.billedAt).toBeUndefined();
    server.clock.set('2026-03-20T10:00:00Z');
    expect((await server.call('POST', '/v1/events', { id: 'in-march', account: 'newcomer', type: 'call', timestamp: '2026-03-20T09:00:00Z', data: { duration_seconds: 600 } })).body.cost).toBe('1.5');

    server.clock.set('2026-04-15T00:05:00Z');
    expect((await server.call('POST', '/v1/accounts/newcomer/cycles/close')).body.closed).toHaveLength(1);
    const invoices = (await server.call('GET', '/v1/accounts/newcomer/invoices')).body.invoices as { period: { start: string }; lines: { quantity: string; net: string }[] }[];
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.period.start).toBe('2026-03-15T00:00:00.000Z');
    expect(invoices[0]!.lines).toEqual([expect.objectContaining({ quantity: '20', net: '3.00' })]);
    expect((await server.call('GET', '/v1/accounts/newcomer/balance')).body.balance).toBe('0');
  });

  test('the second invoice bills its own cycle only', async () => {
    server.clock.set('2026-04-20T00:00:00Z');
    await server.call('POST', '/v1/events', { id: 'in-april', account: 'newcomer', type: 'call', timestamp: '2026-04-19T12:00:00Z', data: { duration_seconds: 600 } });
    server.clock.set('2026-05-15T00:05:00Z');
    expect((await server.call('POST', '/v1/accounts/newcomer/cycles/close')).body.closed).toHaveLength(1);
    const invoices = (await server.call('GET', '/v1/accounts/newcomer/invoices')).body.invoices as { period: { start: string }; lines: { quantity: string; net: string }[] }[];
    const april = invoices.find((i) => i.period.start === '2026-04-15T00:00:00.000Z');
    expect(april!.lines).toEqual([expect.objectContaining({ quantity: '10', net: '1.50' })]);
  });
});
