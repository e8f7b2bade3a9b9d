// Tiered prices, an account's own prices and plan availability over HTTP, on both stores. The tier
// catalog (test/server/support/tierCatalog): chat input tokens graduated and chat output tokens at
// volume, up to 1,000 at 0.05 EUR, up to 10,000 at 0.04, then 0.03; call seconds 0.60 a minute
// (0.30 on the plan 'discount'). Every account is topped up with 10,000 EUR first.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { tierCatalogFile } from '../support/tierCatalog';

describe.each(STORES)('tiers, account prices and plan availability on %s', (store) => {
  let server: TestServer;
  let seq = 0;
  const open = async (id: string, plan: string, extra: object = {}) => {
    const opened = await server.call('POST', '/v1/accounts', { id, name: id, plan, ...extra });
    if (opened.status === 201) await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '10000', reference: `top-${id}` });
    return opened;
  };
  const chat = async (account: string, input: number, output = 0) => {
    const id = `e${++seq}`;
    const recorded = await server.call('POST', '/v1/events', {
      id,
      account,
      type: 'chat',
      timestamp: '2026-03-10T12:00:00Z',
      data: { input_tokens: input, output_tokens: output },
    });
    return { id, ...recorded };
  };
  const costs = async (account: string, events: [number, number][]) => {
    const out: string[] = [];
    for (const [input, output] of events) out.push((await chat(account, input, output)).body.cost);
    return out;
  };
  const balance = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/balance`)).body.balance;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: tierCatalogFile(), now: '2026-03-10T12:00:00Z' });
  });
  afterAll(() => server.stop());

  test('graduated: events of 999, 1, 1, 9,000 and 1,000 input tokens cost 49.95, 0.05, 0.04, 359.99 and 30 (440.03 in all)', async () => {
    await open('grad', 'payg');
    expect(
      await costs('grad', [
        [999, 0],
        [1, 0],
        [1, 0],
        [9000, 0],
        [1000, 0],
      ]),
    ).toEqual(['49.95', '0.05', '0.04', '359.99', '30']);
    expect(await balance('grad')).toBe('9559.97');
  });

  test('graduated: one event of 9,002 tokens after 999 crosses two edges, 0.05 + 360 + 0.03 = 360.08, and its trace names the tiers', async () => {
    await open('cross', 'payg');
    await chat('cross', 999);
    const crossing = await chat('cross', 9002);
    expect(crossing.body.cost).toBe('360.08');
    const event = (await server.call('GET', `/v1/events/${crossing.id}?account=cross`)).body;
    expect(event.charges[0].tiers).toEqual({
      mode: 'graduated',
      before: '999',
      after: '10001',
      lines: [
        { tier: 1, units: '1', rate: { amount: '0.05', per: 1 }, amount: '0.05' },
        { tier: 2, units: '9000', rate: { amount: '0.04', per: 1 }, amount: '360' },
        { tier: 3, units: '1', rate: { amount: '0.03', per: 1 }, amount: '0.03' },
      ],
    });
  });

  test('volume: 999, 1, 1, 9,000, 1,000 output tokens cost 49.95, 0.05, -9.96 (given back), 259.99, 30: the cycle pays 11,001 x 0.03 = 330.03', async () => {
    await open('vol', 'payg');
    expect(
      await costs('vol', [
        [0, 999],
        [0, 1],
        [0, 1],
        [0, 9000],
        [0, 1000],
      ]),
    ).toEqual(['49.95', '0.05', '-9.96', '259.99', '30']);
    expect(await balance('vol')).toBe('9669.97');
  });

  test('a void gives the tier quantity back: after voiding 999 tokens, the next 2 cost 0.10 in tier 1', async () => {
    await open('void', 'payg');
    const first = await chat('void', 999);
    const voided = await server.call('POST', `/v1/events/${first.id}/void`, { account: 'void', reason: 'sent twice' });
    expect(voided.status).toBe(200);
    expect((await chat('void', 2)).body.cost).toBe('0.1');
    // Counted again from 2: 998 more stay in tier 1 (49.90), the 1,001st token is in tier 2.
    expect((await chat('void', 999)).body.cost).toBe('49.94');
  });

  test('voiding a volume event that gave credits back takes them again', async () => {
    await open('volvoid', 'payg');
    await chat('volvoid', 0, 1000);
    const cheaper = await chat('volvoid', 0, 1);
    expect(cheaper.body.cost).toBe('-9.96');
    expect(await balance('volvoid')).toBe('9959.96');
    const explained = (await server.call('GET', `/v1/events/${cheaper.id}/explanation?account=volvoid`)).body;
    expect(explained.paidFrom).toEqual([]);
    expect(explained.summary).toContain(
      'Chat output tokens: 1 token measured; 1 token charged at volume tiers, every unit of the cycle (1001 tokens) at the tier it reached: 1001 tokens in tier 2 at 0.04 EUR per token = 40.04 EUR, less the 1000 tokens charged before in tier 1 at 0.05 EUR per token (50 EUR); in all -9.96 EUR. The cycle reached a cheaper volume tier: 9.96 EUR went back to the balance.',
    );
    await server.call('POST', `/v1/events/${cheaper.id}/void`, { account: 'volvoid', reason: 'test' });
    expect(await balance('volvoid')).toBe('9950');
  });

  test("authorize estimates with the cycle's tiers: after 999 tokens, 2 more are estimated at 0.05 + 0.04 = 0.09", async () => {
    await open('auth', 'payg');
    await chat('auth', 999);
    const answer = await server.call('POST', '/v1/accounts/auth/authorize', { type: 'chat', data: { input_tokens: 2, output_tokens: 0 } });
    expect(answer.body).toMatchObject({ allowed: true, estimatedCost: '0.09' });
  });

  test('in one batch, 999 then 2 input tokens cost 49.95 and 0.05 + 0.04 = 0.09: later events of a batch see the earlier ones', async () => {
    await open('batch', 'payg');
    const event = (id: string, input: number) => ({
      id,
      account: 'batch',
      type: 'chat',
      timestamp: '2026-03-10T12:00:00Z',
      data: { input_tokens: input, output_tokens: 0 },
    });
    const answer = await server.call('POST', '/v1/events/batch', { events: [event('b1', 999), event('b2', 2)] });
    expect(answer.body.results.map((r: { cost: string }) => r.cost)).toEqual(['49.95', '0.09']);
  });

  test('an amendment gives the old quantity back and counts the new: 999 amended to 500, then 600 cost 25 + 4 = 29', async () => {
    await open('amend', 'payg');
    const first = await chat('amend', 999);
    const amended = await server.call('POST', `/v1/events/${first.id}/amend`, {
      account: 'amend',
      data: { input_tokens: 500, output_tokens: 0 },
      reason: 'miscounted',
    });
    expect(amended.body.event.cost).toBe('25');
    // 500 more stay in tier 1 (25), the other 100 are in tier 2 (4).
    expect((await chat('amend', 600)).body.cost).toBe('29');
  });

  test("a reservation holds what the cycle's tiers price: after 999 tokens, 2 more hold 0.09", async () => {
    await open('hold', 'payg');
    await chat('hold', 999);
    const held = await server.call('POST', '/v1/accounts/hold/reservations', { type: 'chat', estimate: { input_tokens: 2, output_tokens: 0 } });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'active', held: '0.09', reserved: '0.09' });
  });

  test("an account's own price: PUT answers it, GET reads it, rating and authorize use it, DELETE removes it", async () => {
    await open('own', 'discount');
    const prices = { services: { call_seconds: { price: { amount: '0.12', per: 60 }, increments: { first: 60, next: 30 } } } };
    const put = await server.call('PUT', '/v1/accounts/own/prices', prices);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ account: 'own', ...prices });
    expect((await server.call('GET', '/v1/accounts/own/prices')).body).toEqual({ account: 'own', ...prices });
    // 61 seconds in 60/30 increments bill 90 seconds: 90 x 0.12 / 60 = 0.18 (the plan's 0.30 would give 0.305 for 61 s).
    const estimate = await server.call('POST', '/v1/accounts/own/authorize', { type: 'call', data: { duration_seconds: 61 } });
    expect(estimate.body).toMatchObject({ allowed: true, estimatedCost: '0.18' });
    const call = await server.call('POST', '/v1/events', {
      id: 'own-call',
      account: 'own',
      type: 'call',
      timestamp: '2026-03-10T12:00:00Z',
      data: { duration_seconds: 61 },
    });
    expect(call.body.cost).toBe('0.18');
    const explained = (await server.call('GET', '/v1/events/own-call/explanation?account=own')).body;
    expect(explained.charges[0].priceSource).toBe('account');
    expect(explained.summary).toContain("at the account's agreed price");
    const removed = await server.call('DELETE', '/v1/accounts/own/prices');
    expect(removed.body).toEqual({ account: 'own', services: {} });
    // The plan's override again, from now on: 61 x 0.30 / 60 = 0.305.
    const after = await server.call('POST', '/v1/events', {
      id: 'own-call-2',
      account: 'own',
      type: 'call',
      timestamp: '2026-03-10T12:00:00Z',
      data: { duration_seconds: 61 },
    });
    expect(after.body.cost).toBe('0.305');
  });

  test('an account may have tiers of its own: 1,200 input tokens graduated at 0.01 up to 1,000, then 0.005 = 11', async () => {
    await open('owntiers', 'payg');
    const tiers = {
      mode: 'graduated',
      tiers: [
        { upTo: '1000', amount: '0.01', per: 1 },
        { amount: '0.005', per: 1 },
      ],
    };
    expect((await server.call('PUT', '/v1/accounts/owntiers/prices', { services: { chat_input: { price: tiers } } })).status).toBe(200);
    expect((await chat('owntiers', 1200)).body.cost).toBe('11');
  });

  test('bad prices are refused naming the field, and nothing is written', async () => {
    await open('badprices', 'payg');
    const cases: [object, string][] = [
      [{ services: { no_such_service: { price: { amount: '1' } } } }, 'services.no_such_service'],
      [{ services: { chat_input: { price: { amount: '1' }, increments: { first: 1, next: 1 } } } }, 'services.chat_input.increments'],
      [
        { services: { chat_input: { price: { mode: 'graduated', tiers: [{ upTo: '10', amount: '1' }, { upTo: '5', amount: '1' }, { amount: '1' }] } } } },
        'services.chat_input.price.tiers[1].upTo',
      ],
      [{ services: { chat_input: { price: { amount: '-1' } } } }, 'services.chat_input.price.amount'],
      [{ services: { chat_input: {} } }, 'services.chat_input.price'],
      [{ services: { chat_input: { price: { amount: '1', each: 2 } } } }, 'services.chat_input.price.each'],
      [{ prices: {} }, 'services'],
    ];
    for (const [body, field] of cases) {
      const answer = await server.call('PUT', '/v1/accounts/badprices/prices', body);
      expect([answer.status, answer.body.error.code, answer.body.error.field]).toEqual([422, 'validation_failed', field]);
    }
    expect((await server.call('GET', '/v1/accounts/badprices/prices')).body).toEqual({ account: 'badprices', services: {} });
    expect((await server.call('PUT', '/v1/accounts/nobody/prices', { services: {} })).status).toBe(404);
  });

  test('a plan outside its window is refused on opening, naming the rule (from, until)', async () => {
    const early = await open('early', 'summer');
    expect([early.status, early.body.error.code, early.body.error.field]).toEqual([422, 'plan_not_available', 'available.from']);
    expect((await server.call('GET', '/v1/accounts/early')).status).toBe(404);
  });

  test('a plan limited to countries is refused to an account elsewhere or without a country, and taken by one inside', async () => {
    const fr = await open('fr', 'dach', { billing: { country: 'FR' } });
    expect([fr.status, fr.body.error.code, fr.body.error.field]).toEqual([422, 'plan_not_available', 'available.countries']);
    const none = await open('nowhere', 'dach');
    expect(none.body.error.message).toBe(
      "The plan 'dach' is available only to accounts in DE, AT, CH; this account names no country (billing.country) (available.countries).",
    );
    expect((await open('berlin', 'dach', { billing: { country: 'DE' } })).status).toBe(201);
  });

  test('a plan change to an unavailable plan is refused naming the rule, even in a preview, and the plan stays', async () => {
    await open('changer', 'payg', { billing: { country: 'FR' } });
    const dach = await server.call('POST', '/v1/accounts/changer/plan-change', { plan: 'dach' });
    expect([dach.status, dach.body.error.code, dach.body.error.field]).toEqual([422, 'plan_not_available', 'available.countries']);
    const summer = await server.call('POST', '/v1/accounts/changer/plan-change', { plan: 'summer', preview: true });
    expect([summer.status, summer.body.error.field]).toEqual([422, 'available.from']);
    expect((await server.call('GET', '/v1/accounts/changer')).body.plan).toBe('payg');
  });

  test('an account keeps a plan no longer available to it, and may change its interval', async () => {
    await open('mover', 'dach', { billing: { country: 'DE' } });
    expect((await server.call('PATCH', '/v1/accounts/mover', { billing: { country: 'FR' } })).status).toBe(200);
    const yearly = await server.call('POST', '/v1/accounts/mover/plan-change', { plan: 'dach', interval: 'year', preview: true });
    expect(yearly.status).toBe(200);
    expect((await server.call('GET', '/v1/accounts/mover')).body.plan).toBe('dach');
  });

  test('after its window the summer offer is refused naming until', async () => {
    server.clock.set('2026-09-01T00:00:00Z');
    const late = await open('late', 'summer');
    expect([late.status, late.body.error.code, late.body.error.field]).toEqual([422, 'plan_not_available', 'available.until']);
    expect(late.body.error.message).toBe("The plan 'summer' was available until 2026-09-01T00:00:00.000Z (available.until).");
  });
});
