// Cycles close once each, on both stores. Credits preset (DOMAIN.md model 2): Starter grants
// 150,000 credits a cycle, lapsing at its end; a mobile number rents for 60,000 credits a month.
// The account is anchored on 31 January 2028 (a leap year): cycles end on the 31st or the last day
// of shorter months, 29 February included, and return to the 31st.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { waitFor } from '../../support/eventually';

const HOUR = 60 * 60 * 1000;

describe.each(STORES)('cycle closing on %s', (store) => {
  let server: TestServer;
  const close = async () => {
    const response = await server.call('POST', '/v1/accounts/shop/cycles/close');
    expect(response.status).toBe(200);
    return response.body.closed as { cycle: { start: string; end: string }; creditsGranted: string; lapsed: string; rentsCharged: string }[];
  };
  const balance = async () => (await server.call('GET', '/v1/accounts/shop/balance')).body.balance as string;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2028-01-31T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
    // Rented at the anchor: the whole first cycle's rent.
    expect((await server.call('POST', '/v1/accounts/shop/phone-numbers', { number: '+4915100000001', type: 'mobile', country: 'DE' })).body.firstCharge.amount).toBe('60000');
  });
  afterAll(() => server.stop());

  test('a cycle that has not ended is not closed', async () => {
    server.clock.set('2028-02-28T23:59:59Z');
    expect(await close()).toEqual([]);
    expect(await balance()).toBe('90000');
  });

  test('thirteen months: each cycle closes once, the package renews, the unused rest lapses, the rent is charged', async () => {
    const ends = [
      '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31', '2028-06-30', '2028-07-31', '2028-08-31',
      '2028-09-30', '2028-10-31', '2028-11-30', '2028-12-31', '2029-01-31', '2029-02-28',
    ];
    let start = '2028-01-31';
    for (const end of ends) {
      server.clock.set(new Date(Date.parse(`${end}T00:00:00Z`) + HOUR));
      const closed = await close();
      // 150,000 - 60,000 left unused lapses; a new 150,000 arrives and pays the next rent.
      expect(closed).toEqual([
        expect.objectContaining({ cycle: { start: `${start}T00:00:00.000Z`, end: `${end}T00:00:00.000Z` }, creditsGranted: '150000', lapsed: '90000', rentsCharged: '60000' }),
      ]);
      expect(await close()).toEqual([]);
      expect(await balance()).toBe('90000');
      start = end;
    }
    const cycles = (await server.call('GET', '/v1/accounts/shop/cycles')).body;
    expect(cycles.closings).toHaveLength(13);
    expect(cycles.current).toEqual({ start: '2029-02-28T00:00:00.000Z', end: '2029-03-31T00:00:00.000Z' });
  });

  test('usage draws on the package; what is left lapses at the end, and nothing else changes', async () => {
    // A 90-second call: 142.5 credits.
    server.clock.set('2029-03-01T12:00:00Z');
    const call = await server.call('POST', '/v1/events', { id: 'call-1', account: 'shop', type: 'call', timestamp: '2029-03-01T10:00:00Z', data: { duration_seconds: 90 } });
    expect(call.body).toMatchObject({ status: 'accepted', cost: '142.5' });
    server.clock.set('2029-03-31T00:00:00Z');
    expect((await close())[0]).toMatchObject({ lapsed: '89857.5', creditsGranted: '150000', rentsCharged: '60000' });
    expect(await balance()).toBe('90000');
  });

  test('a released number pays no more rent; a server that was down catches up cycle by cycle', async () => {
    const [number] = (await server.call('GET', '/v1/accounts/shop/phone-numbers')).body.phoneNumbers;
    await server.call('DELETE', `/v1/accounts/shop/phone-numbers/${number.id}`);
    server.clock.set('2029-07-01T00:00:00Z');
    const closed = await close();
    expect(closed.map((c) => [c.cycle.end.slice(0, 10), c.rentsCharged])).toEqual([
      ['2029-04-30', '0'],
      ['2029-05-31', '0'],
      ['2029-06-30', '0'],
    ]);
    expect(await balance()).toBe('150000');
  });

  test('closing requests racing each other close a cycle once', async () => {
    server.clock.set('2029-08-01T00:00:00Z');
    const answers = await Promise.all(Array.from({ length: 6 }, () => close()));
    expect(answers.flat()).toHaveLength(1);
    const ledger = (await server.call('GET', '/v1/accounts/shop/ledger?limit=500')).body.entries as { kind: string; reference: string | null }[];
    const packages = ledger.filter((e) => e.kind === 'plan_credits').map((e) => e.reference);
    expect(new Set(packages).size).toBe(packages.length);
    expect(packages).toHaveLength(1 + 13 + 1 + 3 + 1);
  });

  test('an unknown account cannot be closed', async () => {
    expect((await server.call('POST', '/v1/accounts/nobody/cycles/close')).status).toBe(404);
    expect((await server.call('GET', '/v1/accounts/nobody/cycles')).status).toBe(404);
  });
});

test('the server closes ended cycles by itself, without being asked', async () => {
  const server = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-01T00:00:00Z', cycleCheckMs: 50 });
  try {
    await server.call('POST', '/v1/accounts', { id: 'auto', name: 'Auto', plan: 'growth' });
    server.clock.set('2026-04-01T00:00:01Z');
    const closings = await waitFor(async () => (await server.call('GET', '/v1/accounts/auto/cycles')).body.closings as unknown[], {
      until: (found) => found.length > 0,
      timeoutMs: 10_000,
      message: "the server's own timer to close the ended cycle",
    });
    expect(closings).toEqual([expect.objectContaining({ cycle: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, creditsGranted: '500000' })]);
  } finally {
    await server.stop();
  }
});

test('an account that cannot close (its plan left the catalog) does not hold up the others', async () => {
  const server = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  try {
    await server.call('POST', '/v1/accounts', { id: 'a-broken', name: 'Broken', plan: 'starter' });
    await server.call('POST', '/v1/accounts', { id: 'b-fine', name: 'Fine', plan: 'starter' });
    await server.db.query(`UPDATE accounts SET plan = 'retired' WHERE id = 'a-broken'`);
    server.clock.set('2026-04-01T00:00:00Z');
    await server.cycles.check();
    expect((await server.call('GET', '/v1/accounts/b-fine/cycles')).body.closings).toHaveLength(1);
    expect((await server.call('POST', '/v1/accounts/a-broken/cycles/close')).body.error.code).toBe('unknown_plan');
  } finally {
    await server.stop();
  }
});

test.each(STORES)('on %s, a batch over due accounts closes those that can close, and refuses the one whose plan left the catalog without retrying for ever', async (store) => {
  const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  try {
    const ids = ['c-broken', 'c-one', 'c-two', 'c-three', 'c-four', 'c-five'];
    for (const id of ids) await server.call('POST', '/v1/accounts', { id, name: id, plan: 'starter' });
    await server.db.query(`UPDATE accounts SET plan = 'retired' WHERE id = 'c-broken'`);
    server.clock.set('2026-04-01T00:00:30Z');
    const batch = await server.call('POST', '/v1/events/batch', {
      events: ids.map((account) => ({ id: `e-${account}`, account, type: 'chat', timestamp: '2026-04-01T00:00:10Z', data: { input_tokens: 1000, output_tokens: 100 } })),
    });
    expect(batch.status).toBe(200);
    // The broken account's plan cannot rate anything: its event is refused, not lost in a retry loop.
    expect(batch.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(batch.body.results[0].error.code).toBe('unknown_plan');
    for (const id of ids.slice(1)) expect((await server.call('GET', `/v1/accounts/${id}/cycles`)).body.closings).toHaveLength(1);
    expect((await server.call('GET', '/v1/accounts/c-broken/cycles')).body.closings).toHaveLength(0);
  } finally {
    await server.stop();
  }
});

test.each(STORES)('on %s, a closing that fails for the store (not for the catalog) fails the event and the reads too, and nothing is charged on the lapsed cycle', async (store) => {
  const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  try {
    await server.call('POST', '/v1/accounts', { id: 'steady', name: 'Steady', plan: 'starter' });
    // The store refuses to record any closing, as a dropped connection or a full disk would.
    await server.db.query(`CREATE FUNCTION refuse_closing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await server.db.query('CREATE TRIGGER refuse_closing BEFORE INSERT ON cycle_closings FOR EACH ROW EXECUTE FUNCTION refuse_closing()');
    server.clock.set('2026-04-01T00:00:30Z');
    const event = { id: 'after-the-end', account: 'steady', type: 'chat', timestamp: '2026-04-01T00:00:10Z', data: { input_tokens: 1000, output_tokens: 100 } };
    const failed = await server.call('POST', '/v1/events', event);
    expect(failed.status).toBe(500);
    const batch = await server.call('POST', '/v1/events/batch', { events: [{ ...event, id: 'after-the-end-2' }] });
    expect(batch.status).toBe(500);
    // Reads fail too, rather than answer from a lapsed package (a paid-up account read as out of credits).
    expect((await server.call('POST', '/v1/accounts/steady/authorize', { type: 'chat' })).status).toBe(500);
    expect((await server.call('GET', '/v1/accounts/steady/balance')).status).toBe(500);
    // Not charged "as it stands": March's package has lapsed and April's is not granted yet.
    expect(await server.db.query(`SELECT id FROM usage_events WHERE account_id = 'steady'`)).toEqual([]);
    expect(await server.db.query(`SELECT kind FROM ledger_entries WHERE account_id = 'steady'`)).toEqual([{ kind: 'plan_credits' }]);

    await server.db.query('DROP TRIGGER refuse_closing ON cycle_closings');
    // The assistant sends the event again: March closes first, and the event draws on April's package.
    const retried = await server.call('POST', '/v1/events', event);
    expect(retried.status).toBe(201);
    expect((await server.call('GET', '/v1/accounts/steady/cycles')).body.closings).toHaveLength(1);
    const drawnFrom = await server.db.query<{ granted_at: Date }>(
      `SELECT g.occurred_at AS granted_at FROM ledger_entries u JOIN ledger_entries g ON g.grant_id = u.grant_id AND g.kind = 'plan_credits'
       WHERE u.account_id = 'steady' AND u.kind = 'usage'`,
    );
    expect(drawnFrom.map((r) => r.granted_at.toISOString())).toEqual(['2026-04-01T00:00:00.000Z']);
  } finally {
    await server.stop();
  }
});

test.each(STORES)('on %s, invoices issued by closings that run side by side are numbered without gaps or repeats', async (store) => {
  const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  try {
    const ids = Array.from({ length: 12 }, (_, i) => `inv-${String(i).padStart(2, '0')}`);
    for (const id of ids) await server.call('POST', '/v1/accounts', { id, name: id, plan: 'starter' });
    server.clock.set('2026-04-01T00:00:30Z');
    // One batch meets all twelve ended cycles: they close together, each issuing Starter's invoice.
    const batch = await server.call('POST', '/v1/events/batch', {
      events: ids.map((account) => ({ id: `e-${account}`, account, type: 'chat', timestamp: '2026-04-01T00:00:10Z', data: { input_tokens: 1000, output_tokens: 100 } })),
    });
    expect(batch.body.results.every((r: { status: string }) => r.status === 'accepted')).toBe(true);
    // Each account opened with March's fee (numbers 1 to 12, one after the other); the closings bill April's.
    const numbers: string[] = [];
    for (const id of ids) {
      const invoices = (await server.call('GET', `/v1/accounts/${id}/invoices`)).body.invoices as { number: string; kind: string }[];
      expect(invoices.map((i) => i.kind).sort()).toEqual(['cycle', 'opening']);
      numbers.push(invoices.find((i) => i.kind === 'cycle')!.number);
    }
    expect(numbers.sort()).toEqual([
      'CM-2026-000013', 'CM-2026-000014', 'CM-2026-000015', 'CM-2026-000016', 'CM-2026-000017', 'CM-2026-000018',
      'CM-2026-000019', 'CM-2026-000020', 'CM-2026-000021', 'CM-2026-000022', 'CM-2026-000023', 'CM-2026-000024',
    ]);
  } finally {
    await server.stop();
  }
});

describe.each(STORES)('cancelling on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'leaving', name: 'Leaving', plan: 'starter' });
    await server.call('POST', '/v1/accounts', { id: 'staying', name: 'Staying', plan: 'starter' });
    await server.call('POST', '/v1/accounts/leaving/phone-numbers', { number: '+493099990001', type: 'local', country: 'DE' });
  });
  afterAll(() => server.stop());

  test('a cancelled subscription runs to the end of its cycle, not refunded, and can be withdrawn until then', async () => {
    server.clock.set('2026-03-10T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/leaving/cancel')).body).toEqual({
      account: 'leaving',
      endsAt: '2026-04-01T00:00:00.000Z',
      message: 'The subscription ends on 2026-04-01, at the end of the current cycle; the current cycle is not refunded.',
    });
    expect((await server.call('GET', '/v1/accounts/leaving')).body.endsAt).toBe('2026-04-01T00:00:00.000Z');
    expect((await server.call('POST', '/v1/accounts/leaving/plan-change', { plan: 'payg' })).body.error).toEqual({
      code: 'subscription_ending',
      message: 'The subscription ends on 2026-04-01; withdraw the cancellation before changing its plan.',
    });
    expect(await server.call('POST', '/v1/accounts/leaving/add-ons', { addOn: 'extra_credits_50k' })).toMatchObject({
      status: 422,
      body: { error: { code: 'subscription_ending', message: 'The subscription ends on 2026-04-01; withdraw the cancellation before buying add-ons.' } },
    });
    // Until the end, usage is charged as before: a 90-second call is 142.5 credits.
    expect((await server.call('POST', '/v1/events', { id: 'k1', account: 'leaving', type: 'call', timestamp: '2026-03-10T00:00:00Z', data: { duration_seconds: 90 } })).body.cost).toBe('142.5');

    await server.call('POST', '/v1/accounts/staying/cancel');
    expect((await server.call('DELETE', '/v1/accounts/staying/cancel')).body).toMatchObject({ endsAt: null, message: 'The cancellation is withdrawn: the subscription renews as before.' });
  });

  test('at the end: no invoice (March was paid up front, nothing is refunded), no new package, the rest lapses, the number is released, usage is refused', async () => {
    server.clock.set('2026-04-01T00:00:01Z');
    const [closed] = (await server.call('POST', '/v1/accounts/leaving/cycles/close')).body.closed;
    // 150,000 - 10,000 rent - 142.5 for the call lapse; nothing is granted or charged for April.
    expect(closed).toMatchObject({ creditsGranted: '0', lapsed: '139857.5', rentsCharged: '0' });
    expect((await server.call('GET', '/v1/accounts/leaving/balance')).body.balance).toBe('0');
    // Starter's 49 EUR (58.31 with VAT) was invoiced when March started; its prepaid usage is paid.
    expect((await server.call('GET', '/v1/accounts/leaving/invoices')).body.invoices.map((i: { kind: string; gross: string }) => [i.kind, i.gross])).toEqual([['opening', '58.31']]);
    expect((await server.call('GET', '/v1/accounts/leaving/phone-numbers?status=all')).body.phoneNumbers[0]).toMatchObject({ status: 'released', releasedAt: '2026-04-01T00:00:00.000Z' });
    expect((await server.call('GET', '/v1/accounts/leaving')).body.endedAt).toBe('2026-04-01T00:00:01.000Z');

    const late = await server.call('POST', '/v1/events', { id: 'k2', account: 'leaving', type: 'call', timestamp: '2026-04-01T00:00:00Z', data: { duration_seconds: 60 } });
    expect(late).toMatchObject({ status: 422, body: { error: { code: 'subscription_ended', message: 'The subscription ended on 2026-04-01; it takes no more usage.' } } });
    // Dated in the last cycle but arriving after its invoice: no cycle is left to bill it in.
    const afterLastInvoice = await server.call('POST', '/v1/events', { id: 'k3', account: 'leaving', type: 'call', timestamp: '2026-03-31T23:59:00Z', data: { duration_seconds: 60 } });
    expect(afterLastInvoice).toMatchObject({ status: 422, body: { error: { code: 'subscription_ended' } } });
    expect((await server.call('POST', '/v1/accounts/leaving/authorize', { type: 'call', data: {} })).body).toMatchObject({ allowed: false, reason: 'subscription_ended' });

    server.clock.set('2026-06-01T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/leaving/cycles/close')).body.closed).toEqual([]);
    expect((await server.call('POST', '/v1/accounts/staying/cycles/close')).body.closed).toHaveLength(3);
    // Each refusal of an ended subscription names what it was asked for.
    const ended = (refused: string) => ({ status: 422, body: { error: { code: 'subscription_ended', message: `The subscription ended on 2026-04-01; it takes no more ${refused}.` } } });
    expect(await server.call('POST', '/v1/accounts/leaving/cancel')).toMatchObject(ended('cancellations'));
    expect(await server.call('DELETE', '/v1/accounts/leaving/cancel')).toMatchObject(ended('changes to its cancellation'));
    expect(await server.call('POST', '/v1/accounts/leaving/plan-change', { plan: 'payg' })).toMatchObject(ended('plan changes'));
  });
});
