// Authorize answers from the accounts a process remembers. Recorded events no longer make it forget
// them: the recorder works out, under the accounts' locks, the record the events leave, and the
// process remembers that at commit. On both stores, for every part of a record (grants drawn and
// lapsed, allowance use, reservations settled and held, the cycle's spend, tier counts), what is
// remembered after events is what the store reads, and it is answered without reading the store.
import fc from 'fast-check';
import { readAccountUsage, type AccountUsage } from '../../../server/src/usecases/readAccountUsage';
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { tierCatalogFile } from '../support/tierCatalog';

/** A usage as JSON, with maps and grants in a fixed order: the store returns rows in none. */
function shown(usage: AccountUsage) {
  const sorted = <V>(map: ReadonlyMap<string, V>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return JSON.parse(
    JSON.stringify({
      account: usage.account,
      plan: usage.plan.code,
      cycle: usage.cycle,
      grants: [...usage.grants].sort((a, b) => a.id.localeCompare(b.id)),
      available: usage.available,
      used: sorted(usage.used),
      held: { amount: usage.held.amount, units: sorted(usage.held.units), tiers: sorted(usage.held.tiers) },
      spendLimit: usage.spendLimit ?? null,
      tierUsed: sorted(usage.tierUsed),
    }),
  );
}

/** The account as the process remembers it equals the account as the store holds it, and took no read of it. */
async function expectRememberedAsStored(server: TestServer, accountId: string): Promise<AccountUsage> {
  const query = jest.spyOn(server.db, 'query');
  let remembered: AccountUsage;
  try {
    remembered = await server.context.snapshots.usage(accountId);
  } finally {
    query.mockRestore();
  }
  // Other work of the server (webhook delivery, audit rows) may query meanwhile; none names the account.
  const reads = query.mock.calls.filter(([, params]) => JSON.stringify(params ?? []).includes(`"${accountId}"`));
  expect(reads).toEqual([]);
  expect(shown(remembered)).toEqual(shown(await readAccountUsage(server.context, accountId)));
  return remembered;
}

describe.each(STORES)('accounts remembered as their events leave them, on %s', (store) => {
  let server: TestServer;
  let n = 0;
  const event = (account: string, type: string, data: object, extra: object = {}) => ({
    id: `e-${++n}`,
    account,
    type,
    timestamp: server.clock.now().toISOString(),
    data,
    ...extra,
  });
  const send = async (...events: object[]) => {
    const response = events.length === 1 ? await server.call('POST', '/v1/events', events[0]) : await server.call('POST', '/v1/events/batch', { events });
    expect(response.status).toBeLessThan(300);
    return response.body;
  };
  const authorize = async (account: string, type = 'call') => {
    const response = await server.call('POST', `/v1/accounts/${account}/authorize`, { type, data: {} });
    expect(response.status).toBe(200);
  };

  afterEach(() => server.stop());

  test('credits: plan credits drawn, a lapsed top-up, a reservation settled and one still held, in singles and in a batch of every type', async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
    await server.call('POST', '/v1/accounts', { id: 'other', name: 'Other', plan: 'growth' });
    await server.call('POST', '/v1/accounts/shop/topups', { amount: '40000', reference: 'short', expiresAt: '2026-03-05T00:00:00Z' });
    await server.call('POST', '/v1/accounts/shop/topups', { amount: '60000', reference: 'long' });
    server.clock.set('2026-03-06T09:00:00Z');
    const settled = (await server.call('POST', '/v1/accounts/shop/reservations', { type: 'call', estimate: { duration_seconds: 300 } })).body;
    await server.call('POST', '/v1/accounts/shop/reservations', { type: 'chat', estimate: { input_tokens: 5000, output_tokens: 1000 } });
    await authorize('shop');

    await send(event('shop', 'call', { duration_seconds: 95, input_tokens: 300, output_tokens: 120 }, { reservation: settled.id }));
    const afterCall = await expectRememberedAsStored(server, 'shop');
    expect(afterCall.grants.map((g) => g.amount.toString())).not.toContain('40000');
    expect(afterCall.held.amount.gt(0)).toBe(true);

    const duplicate = event('shop', 'chat', { input_tokens: 10, output_tokens: 5 });
    await send(duplicate);
    await send(
      event('shop', 'chat', { input_tokens: 1200, output_tokens: 350, tool_calls: 2 }),
      event('shop', 'sms', { direction: 'outbound', text: 'Your table is booked for 8 pm.' }),
      event('shop', 'whatsapp', { direction: 'inbound', contact: '+4915100000001', input_tokens: 40, output_tokens: 20 }),
      event('shop', 'whatsapp', { direction: 'outbound', contact: '+4915100000001', input_tokens: 400, output_tokens: 200 }),
      event('other', 'chat', { input_tokens: 100, output_tokens: 10 }),
      event('nobody', 'chat', { input_tokens: 100, output_tokens: 10 }),
      duplicate,
      event('shop', 'call', { duration_seconds: 61, input_tokens: 0, output_tokens: 0 }),
    );
    await expectRememberedAsStored(server, 'shop');
  });

  test('minutes: included minutes used up, an add-on pack, overage and the cycle spend a spend limit counts', async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-04-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'voice', name: 'Voice', plan: 'starter', anchor: '2026-04-01T00:00:00Z' });
    expect((await server.call('PUT', '/v1/accounts/voice/spend-limit', { amount: '100.00' })).status).toBe(200);
    server.clock.set('2026-04-02T10:00:00Z');
    await authorize('voice');

    await send(event('voice', 'call', { duration_seconds: 24_000 }));
    const within = await expectRememberedAsStored(server, 'voice');
    expect(within.used.get('minutes')?.toString()).toBe('24000');

    await send(...Array.from({ length: 5 }, () => event('voice', 'call', { duration_seconds: 1_800 })));
    const over = await expectRememberedAsStored(server, 'voice');
    expect(over.spendLimit?.spent.gt(0)).toBe(true);

    expect((await server.call('POST', '/v1/accounts/voice/add-ons', { addOn: 'extra_minutes_100' })).status).toBeLessThan(300);
    await authorize('voice');
    await send(event('voice', 'call', { duration_seconds: 90 }));
    await expectRememberedAsStored(server, 'voice');
  });

  test('tiers: the cycle counts of a graduated and a volume price, a volume tier giving credits back', async () => {
    server = await startTestServer(store, { catalog: tierCatalogFile(), now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'tiered', name: 'Tiered', plan: 'payg' });
    await server.call('POST', '/v1/accounts/tiered/topups', { amount: '5000', reference: 'start' });
    server.clock.set('2026-03-02T10:00:00Z');
    await authorize('tiered', 'chat');

    await send(event('tiered', 'chat', { input_tokens: 900, output_tokens: 900 }));
    await expectRememberedAsStored(server, 'tiered');
    await send(event('tiered', 'chat', { input_tokens: 200, output_tokens: 9_500 }), event('tiered', 'call', { duration_seconds: 30 }));
    const remembered = await expectRememberedAsStored(server, 'tiered');
    expect(remembered.tierUsed.get('chat_output')?.toString()).toBe('10400');
  });

  test('an account no one has asked about is not taken into memory by its events', async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'quiet', name: 'Quiet', plan: 'starter' });
    await send(event('quiet', 'chat', { input_tokens: 10, output_tokens: 5 }));
    expect(server.context.snapshots.remembers('quiet')).toBe(false);
  });
});

const HOUR = 60 * 60 * 1000;

/** One step of a run: events (one or a batch, over two accounts, some late), a top-up, a hold, or time passing. */
const stepArb = (types: readonly string[]) =>
  fc.oneof(
    fc.record({
      kind: fc.constant('events' as const),
      events: fc.array(
        fc.record({
          account: fc.constantFrom(0, 1),
          type: fc.constantFrom(...types),
          size: fc.integer({ min: 0, max: 4000 }),
          contact: fc.constantFrom('+4915100000001', '+4915100000002'),
          inbound: fc.boolean(),
          hoursAgo: fc.integer({ min: 0, max: 72 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
    fc.record({
      kind: fc.constant('topUp' as const),
      account: fc.constantFrom(0, 1),
      amount: fc.integer({ min: 1, max: 200_000 }),
      expiresInHours: fc.option(fc.integer({ min: 1, max: 200 })),
    }),
    fc.record({ kind: fc.constant('reserve' as const), account: fc.constantFrom(0, 1), seconds: fc.integer({ min: 1, max: 900 }) }),
    fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 400 }) }),
  );

function dataOf(e: { type: string; size: number; contact: string; inbound: boolean }): object {
  switch (e.type) {
    case 'call':
      return { duration_seconds: e.size, input_tokens: Math.floor(e.size / 10), output_tokens: Math.floor(e.size / 20) };
    case 'sms':
      return { direction: e.inbound ? 'inbound' : 'outbound', segments: 1 + (e.size % 5) };
    case 'whatsapp':
      return { direction: e.inbound ? 'inbound' : 'outbound', contact: e.contact, input_tokens: e.size, output_tokens: Math.floor(e.size / 3) };
    default:
      return { input_tokens: e.size, output_tokens: Math.floor(e.size / 4) };
  }
}

describe.each(STORES)('for any events, top-ups, holds and time, the accounts remembered are the accounts stored, on %s', (store) => {
  test.each([
    ['credits', 'starter', ['chat', 'call', 'sms', 'whatsapp']],
    ['minutes', 'starter', ['call']],
  ] as const)('%s catalog', async (catalog, plan, types) => {
    const server = await startTestServer(store, { catalog, now: '2026-03-01T00:00:00Z' });
    let run = 0;
    let n = 0;
    // Accounts found remembered right after their events: the path under test, not a fresh read.
    let rememberedAfterEvents = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb(types), { minLength: 1, maxLength: 8 }), async (steps) => {
          run += 1;
          const accounts = [`p${run}-a`, `p${run}-b`];
          for (const id of accounts) {
            expect((await server.call('POST', '/v1/accounts', { id, name: id, plan })).status).toBe(201);
            if (catalog === 'minutes') expect((await server.call('PUT', `/v1/accounts/${id}/spend-limit`, { amount: '50.00' })).status).toBe(200);
          }
          for (const step of steps) {
            for (const id of accounts)
              if (!server.context.snapshots.remembers(id)) await server.call('POST', `/v1/accounts/${id}/authorize`, { type: types[0], data: {} });
            const at = server.clock.now().getTime();
            if (step.kind === 'events') {
              const events = step.events.map((e) => ({
                id: `pe-${++n}`,
                account: accounts[e.account]!,
                type: e.type,
                timestamp: new Date(at - e.hoursAgo * HOUR).toISOString(),
                data: dataOf(e),
              }));
              await server.call('POST', '/v1/events/batch', { events });
            } else if (step.kind === 'topUp') {
              await server.call('POST', `/v1/accounts/${accounts[step.account]}/topups`, {
                amount: String(step.amount),
                reference: `pt-${++n}`,
                ...(step.expiresInHours === null ? {} : { expiresAt: new Date(at + step.expiresInHours * HOUR).toISOString() }),
              });
            } else if (step.kind === 'reserve') {
              await server.call('POST', `/v1/accounts/${accounts[step.account]}/reservations`, { type: 'call', estimate: { duration_seconds: step.seconds } });
            } else {
              server.clock.advance(step.hours * HOUR);
            }
            for (const id of accounts) {
              if (!server.context.snapshots.remembers(id)) continue;
              if (step.kind === 'events') rememberedAfterEvents += 1;
              const remembered = await server.context.snapshots.usage(id);
              expect(shown(remembered)).toEqual(shown(await readAccountUsage(server.context, id)));
            }
          }
        }),
        { numRuns: 15, seed: 2026_12_01 },
      );
      expect(rememberedAfterEvents).toBeGreaterThan(15);
    } finally {
      await server.stop();
    }
  });
});
