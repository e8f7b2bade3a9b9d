// How tiered charges settle over HTTP, on both stores: voids of earlier events settle the cycle at
// its tiers, a cheaper volume tier's credits go back to the plan credits that paid, holds count the
// tiered units other holds keep, and rating refuses a negative quantity. The tier catalog (see
// test/server/support/tierCatalog: chat input tokens graduated, output tokens at volume, up to
// 1,000 at 0.05 EUR, up to 10,000 at 0.04, then 0.03), with an energy meter reading priced per kWh
// whose declared field sets no minimum, and a plan with 50 EUR of plan credits a month.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { TIER_CATALOG } from '../support/tierCatalog';

function catalogFile(): string {
  const raw = {
    ...structuredClone(TIER_CATALOG),
    events: { meter_read: { fields: { kwh: { type: 'number', required: true } } } },
    services: [
      ...structuredClone(TIER_CATALOG.services),
      {
        code: 'energy',
        name: 'Energy',
        channel: 'energy',
        event: 'meter_read',
        quantity: { type: 'field', field: 'kwh' },
        unit: 'kWh',
        price: { amount: '0.30', per: 1 },
      },
    ],
    plans: [...structuredClone(TIER_CATALOG.plans), { code: 'credits', name: 'With credits', billing: 'prepaid', credits: { month: '50', year: '600' } }],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'tier-settlement-')), 'tiers.json');
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe.each(STORES)('tiered charges settle on %s', (store) => {
  let server: TestServer;
  let seq = 0;
  const open = async (id: string, plan = 'payg', topUp = true) => {
    expect((await server.call('POST', '/v1/accounts', { id, name: id, plan })).status).toBe(201);
    if (topUp) await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '10000', reference: `top-${id}` });
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
    return { id, cost: recorded.body.cost as string };
  };
  const voidOf = async (account: string, id: string) => server.call('POST', `/v1/events/${id}/void`, { account, reason: 'sent twice' });
  const balance = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/balance`)).body;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: catalogFile(), now: '2026-03-10T12:00:00Z' });
  });
  afterAll(() => server.stop());

  test('volume: 1,000 tokens cost 50, 1 more -9.96; voiding the 1,000 gives back 39.99, not 50; 1,000 more cost 39.99: the 1,001 tokens paid 40.04', async () => {
    await open('vol');
    const first = await chat('vol', 0, 1000);
    expect([first.cost, (await chat('vol', 0, 1)).cost]).toEqual(['50', '-9.96']);
    const voided = await voidOf('vol', first.id);
    expect(voided.status).toBe(200);
    // The cycle had paid 40.04; the 1 token left is priced 0.05: 39.99 back to the top-up, not the event's 50.
    expect(voided.body.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount])).toEqual([['void', '39.99']]);
    expect(voided.body.entries[0].description).toContain("settled at the cycle's tiers");
    expect(voided.body.balance).toBe('9999.95');
    expect((await chat('vol', 0, 1000)).cost).toBe('39.99');
    // 10,000 - 1,001 x 0.04.
    expect((await balance('vol')).balance).toBe('9959.96');
  });

  test('voiding the event that reached the cheaper tier takes its 9.96 back, and a second void answers the same entries', async () => {
    await open('again');
    await chat('again', 0, 1000);
    const cheaper = await chat('again', 0, 1);
    const first = await voidOf('again', cheaper.id);
    expect(first.body.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount])).toEqual([['usage', '-9.96']]);
    expect(first.body.balance).toBe('9950');
    const second = await voidOf('again', cheaper.id);
    expect([second.body.entries, second.body.balance]).toEqual([first.body.entries, '9950']);
  });

  test('graduated: 1,000 + 1,000 tokens cost 50 + 40; voiding the first gives back 40; 1,000 more cost 40: 2,000 tokens paid 90', async () => {
    await open('grad');
    const first = await chat('grad', 1000);
    expect([first.cost, (await chat('grad', 1000)).cost]).toEqual(['50', '40']);
    const voided = await voidOf('grad', first.id);
    expect(voided.body.balance).toBe('9950');
    expect((await chat('grad', 1000)).cost).toBe('40');
    expect((await balance('grad')).balance).toBe('9910');
  });

  test('the cost report after such a void shows what the ledger took: 90 for the 2,000 tokens standing', async () => {
    const report = await server.call('GET', '/v1/reports/costs?account=grad&period=current_cycle');
    expect(report.status).toBe(200);
    // 50 + 40 - 40 (the void) + 40.
    expect(report.body.totals.amount).toBe('90');
  });

  test('the credits of a cheaper volume tier go back to the plan credits that paid the earlier tokens, and lapse with them', async () => {
    await open('planpaid', 'credits', false);
    expect((await chat('planpaid', 0, 1000)).cost).toBe('50');
    expect((await chat('planpaid', 0, 1)).cost).toBe('-9.96');
    const grants = (await balance('planpaid')).grants as { kind: string; remaining: string; expiresAt: string | null }[];
    // No refund grant without expiry: the plan credits hold the 9.96 again, until the cycle ends.
    expect(grants.map((g) => [g.kind, g.remaining, g.expiresAt !== null])).toEqual([['plan_credits', '9.96', true]]);
  });

  test('a second hold counts the tiered units the first holds: at rising tiers of the account (0.01 up to 1,000, then 0.02), 1,000 + 1,000 tokens hold 10 + 20', async () => {
    await open('holds');
    const tiers = {
      mode: 'graduated',
      tiers: [
        { upTo: '1000', amount: '0.01', per: 1 },
        { amount: '0.02', per: 1 },
      ],
    };
    expect((await server.call('PUT', '/v1/accounts/holds/prices', { services: { chat_input: { price: tiers } } })).status).toBe(200);
    const hold = () => server.call('POST', '/v1/accounts/holds/reservations', { type: 'chat', estimate: { input_tokens: 1000, output_tokens: 0 } });
    expect((await hold()).body).toMatchObject({ status: 'active', held: '10' });
    expect((await hold()).body).toMatchObject({ status: 'active', held: '20' });
    // authorize sees both holds: 1 more token is in tier 2.
    const answer = await server.call('POST', '/v1/accounts/holds/authorize', { type: 'chat', data: { input_tokens: 1, output_tokens: 0 } });
    expect(answer.body).toMatchObject({ allowed: true, estimatedCost: '0.02' });
  });

  test('an event whose quantity field is negative is refused with 422 naming the field; nothing is written and the balance stays', async () => {
    await open('negative');
    const refused = await server.call('POST', '/v1/events', {
      id: 'neg-1',
      account: 'negative',
      type: 'meter_read',
      timestamp: '2026-03-10T12:00:00Z',
      data: { kwh: -100 },
    });
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([422, 'validation_failed', 'data.kwh']);
    expect((await server.call('GET', '/v1/events/neg-1?account=negative')).status).toBe(404);
    expect((await balance('negative')).balance).toBe('10000');
    const estimate = await server.call('POST', '/v1/accounts/negative/authorize', { type: 'meter_read', data: { kwh: -100 } });
    // The catalog's bounds on a quantity field (0 and up) refuse the estimate as bad input, naming the field;
    // rating's own refusal of a negative quantity stands behind them (tierSettlement.test.ts).
    expect([estimate.status, estimate.body.error.code, estimate.body.error.field]).toEqual([422, 'validation_failed', 'data.kwh']);
    // 100 kWh at 0.30 = 30, as before.
    const fine = await server.call('POST', '/v1/events', {
      id: 'neg-2',
      account: 'negative',
      type: 'meter_read',
      timestamp: '2026-03-10T12:00:00Z',
      data: { kwh: 100 },
    });
    expect(fine.body.cost).toBe('30');
    // The database holds the line too: only an event that drew tiers may cost less than nothing.
    await expect(server.db.query(`UPDATE usage_events SET cost = -1 WHERE account_id = 'negative' AND id = 'neg-2'`)).rejects.toThrow(
      /usage_events_cost_check/,
    );
    expect(await server.db.query(`UPDATE usage_events SET cost = cost - 100 WHERE account_id = 'vol' AND cost < 0 RETURNING id`)).toHaveLength(1);
  });
});
