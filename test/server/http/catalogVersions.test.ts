// Catalog versions published at run time: accounts keep the version they subscribed on until they
// move (a plan change to the latest, or the operator's migration), new accounts get the latest, and
// the catalog round-trips through GET /v1/catalog and POST /v1/catalog/versions.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadCatalog, PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { openStore, startServer } from '../../../server/src/server';
import { createPostgresDatabase, STORES, startTestServer, type StoreKind, type TestServer, TestClock } from '../support/servers';

const NOW = '2026-03-01T00:00:00Z';

const chat = (id: string, account: string, inputTokens: number, at: string) => ({
  id,
  account,
  type: 'chat',
  timestamp: at,
  data: { input_tokens: inputTokens, output_tokens: 0 },
});

/** The credits preset as published, with chat input tokens at `amount` credits per 1,000. */
function withChatInputPrice(catalog: any, amount: number) {
  const copy = structuredClone(catalog);
  copy.services.find((s: { code: string }) => s.code === 'chat_input_tokens').price = { amount, per: 1000 };
  return copy;
}

describe.each(STORES)('catalog versions (%s)', (store) => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer(store, { now: NOW });
  });
  afterEach(async () => {
    await server.stop();
  });

  const open = async (id: string, plan = 'payg') => {
    expect((await server.call('POST', '/v1/accounts', { id, name: id, plan })).status).toBe(201);
    expect((await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '100000', reference: `pay-${id}` })).status).toBe(201);
  };
  const publishFiftyCredits = async () => {
    const latest = (await server.call('GET', '/v1/catalog')).body;
    const published = await server.call('POST', '/v1/catalog/versions', { catalog: withChatInputPrice(latest.catalog, 50) });
    expect(published.status).toBe(201);
    return published.body.version as number;
  };

  test('the catalog the server starts with is version 1, served as the file says it', async () => {
    const latest = await server.call('GET', '/v1/catalog');
    expect(latest.status).toBe(200);
    expect(latest.body.version).toBe(1);
    // As written in the file: the amount a number, no defaults filled in.
    expect(latest.body.catalog.services[0]).toEqual({
      code: 'chat_input_tokens',
      name: 'Chat input tokens',
      channel: 'ai_chat',
      event: 'chat',
      quantity: { type: 'field', field: 'input_tokens' },
      unit: 'token',
      price: { amount: 40, per: 1000 },
    });
    const versions = await server.call('GET', '/v1/catalog/versions');
    expect(versions.body.versions).toEqual([
      {
        version: 1,
        publishedAt: NOW.replace('Z', '.000Z'),
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        by: `file:${join(PRESET_DIRECTORY, 'credits.yaml')}`,
      },
    ]);
  });

  test('a catalog round-trips through GET and POST unchanged, and publishing it again makes no new version', async () => {
    const first = (await server.call('GET', '/v1/catalog')).body;
    const changed = withChatInputPrice(first.catalog, 50);
    const published = await server.call('POST', '/v1/catalog/versions', { catalog: changed });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 2, created: true, by: 'key:admin' });

    const latest = (await server.call('GET', '/v1/catalog')).body;
    expect(latest).toEqual({ version: 2, catalog: changed });
    expect((await server.call('GET', '/v1/catalog/versions/2')).body).toMatchObject({ version: 2, catalog: changed });
    expect((await server.call('GET', '/v1/catalog/versions/1')).body.catalog).toEqual(first.catalog);

    // The same catalog again (its keys in another order): the latest version answers, nothing is stored.
    const again = await server.call('POST', '/v1/catalog/versions', { catalog: Object.fromEntries(Object.entries(latest.catalog).reverse()) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 2, created: false });
    expect((await server.call('GET', '/v1/catalog/versions')).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  test('an invalid catalog is refused naming the path inside it, and nothing is stored', async () => {
    const catalog = structuredClone((await server.call('GET', '/v1/catalog')).body.catalog);
    catalog.services[3].price.amount = 'ninety';
    const refused = await server.call('POST', '/v1/catalog/versions', { catalog });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', field: 'catalog.services[3].price.amount' });
    expect((await server.call('GET', '/v1/catalog/versions')).body.versions).toHaveLength(1);
    expect((await server.call('GET', '/v1/catalog/versions/2')).status).toBe(404);
  });

  test('publishing a version needs an admin key', async () => {
    const reader = (await server.call('POST', '/v1/api-keys', { name: 'reader', scopes: ['read'] })).body.key;
    const catalog = (await server.call('GET', '/v1/catalog')).body.catalog;
    const response = await fetch(`${server.url}/v1/catalog/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: JSON.stringify({ catalog: withChatInputPrice(catalog, 50) }),
    });
    expect(response.status).toBe(403);
    expect((await server.call('GET', '/v1/catalog/versions')).body.versions).toHaveLength(1);
  });

  test('an account opened before a new version keeps its prices; an account opened after gets the new ones', async () => {
    await open('before');
    // Chat input tokens go from 40 to 50 credits per 1,000.
    expect(await publishFiftyCredits()).toBe(2);
    await open('after');

    expect((await server.call('POST', '/v1/events', chat('e1', 'before', 1000, NOW))).body).toMatchObject({ status: 'accepted', cost: '40' });
    expect((await server.call('POST', '/v1/events', chat('e2', 'after', 1000, NOW))).body).toMatchObject({ status: 'accepted', cost: '50' });
    // A batch rates each account on its own version.
    const batch = await server.call('POST', '/v1/events/batch', { events: [chat('e3', 'before', 2000, NOW), chat('e4', 'after', 2000, NOW)] });
    expect(batch.body.results.map((r: { cost: string }) => r.cost)).toEqual(['80', '100']);
    // And authorize estimates with it.
    const estimate = (id: string) => server.call('POST', `/v1/accounts/${id}/authorize`, { type: 'chat', data: { input_tokens: 1000, output_tokens: 0 } });
    expect((await estimate('before')).body.estimatedCost).toBe('40');
    expect((await estimate('after')).body.estimatedCost).toBe('50');
    expect((await server.call('GET', '/v1/accounts/before')).body.catalogVersion).toBe(1);
    expect((await server.call('GET', '/v1/accounts/after')).body.catalogVersion).toBe(2);
  });

  test('an account opened before a version that prices a new service leaves that usage unpriced, as its own version does', async () => {
    // Version 1 (the credits preset) prices no tool calls of a chat: version 2 prices them at 10 credits each.
    await open('before');
    const catalog = (await server.call('GET', '/v1/catalog')).body.catalog;
    catalog.services.find((s: { code: string }) => s.code === 'chat_tool_use').price = { amount: 10 };
    expect((await server.call('POST', '/v1/catalog/versions', { catalog })).status).toBe(201);
    await open('after');
    const tools = (id: string, account: string) => ({ id, account, type: 'chat', timestamp: NOW, data: { input_tokens: 0, output_tokens: 0, tool_calls: 3 } });
    expect((await server.call('POST', '/v1/events', tools('t1', 'before'))).body).toMatchObject({ status: 'accepted', cost: '0' });
    expect((await server.call('POST', '/v1/events', tools('t2', 'after'))).body).toMatchObject({ status: 'accepted', cost: '30' });
  });

  test('a plan change with catalogVersion latest is previewed, then moves the account to the latest prices', async () => {
    await open('cafe');
    await publishFiftyCredits();
    const preview = await server.call('POST', '/v1/accounts/cafe/plan-change', { plan: 'payg', catalogVersion: 'latest', preview: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ preview: true, catalogVersion: { from: 1, to: 2 }, from: { plan: 'payg' }, to: { plan: 'payg' } });
    // A preview changes nothing.
    expect((await server.call('POST', '/v1/events', chat('e1', 'cafe', 1000, NOW))).body.cost).toBe('40');

    const applied = await server.call('POST', '/v1/accounts/cafe/plan-change', { plan: 'payg', catalogVersion: 'latest' });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ catalogVersion: { from: 1, to: 2 }, effectiveAt: NOW.replace('Z', '.000Z') });
    expect((await server.call('POST', '/v1/events', chat('e2', 'cafe', 1000, NOW))).body.cost).toBe('50');
    expect((await server.call('GET', '/v1/accounts/cafe')).body.catalogVersion).toBe(2);
    // Without catalogVersion a plan change keeps the account's version: the account stays where it is.
    expect((await server.call('POST', '/v1/accounts/cafe/plan-change', { plan: 'payg' })).body.kind).toBe('none');
  });

  test('a migration at cycle end moves the account at its cycle end and not before', async () => {
    await open('cafe');
    await open('shop', 'starter');
    const version = await publishFiftyCredits();
    const migrated = await server.call('POST', `/v1/catalog/versions/${version}/migrate`, { plans: ['payg'], at: 'cycle_end' });
    expect(migrated.status).toBe(200);
    expect(migrated.body).toEqual({
      version: 2,
      at: 'cycle_end',
      plans: ['payg'],
      moved: [],
      scheduled: [{ account: 'cafe', at: '2026-04-01T00:00:00.000Z' }],
      skipped: [],
    });
    // The last second of March still costs 40 credits per 1,000 tokens.
    server.clock.set('2026-03-31T23:59:59Z');
    expect((await server.call('POST', '/v1/events', chat('e1', 'cafe', 1000, '2026-03-31T23:59:59Z'))).body.cost).toBe('40');
    expect((await server.call('GET', '/v1/accounts/cafe')).body.catalogVersion).toBe(1);
    // April's first event closes March and is rated on version 2.
    server.clock.set('2026-04-01T00:00:01Z');
    expect((await server.call('POST', '/v1/events', chat('e2', 'cafe', 1000, '2026-04-01T00:00:01Z'))).body.cost).toBe('50');
    expect((await server.call('GET', '/v1/accounts/cafe')).body.catalogVersion).toBe(2);
    // The Starter account was not among the plans moved.
    expect((await server.call('POST', '/v1/events', chat('e3', 'shop', 1000, '2026-04-01T00:00:01Z'))).body.cost).toBe('40');
  });

  test('a migration now moves the subscribers at once', async () => {
    await open('cafe');
    await open('bistro');
    const version = await publishFiftyCredits();
    const migrated = await server.call('POST', `/v1/catalog/versions/${version}/migrate`, { at: 'now' });
    expect(migrated.body).toMatchObject({ version: 2, at: 'now', moved: ['bistro', 'cafe'], scheduled: [], skipped: [] });
    expect((await server.call('POST', '/v1/events', chat('e1', 'cafe', 1000, NOW))).body.cost).toBe('50');
    expect((await server.call('POST', '/v1/events', chat('e2', 'bistro', 1000, NOW))).body.cost).toBe('50');
    // Nobody is left to move.
    expect((await server.call('POST', `/v1/catalog/versions/${version}/migrate`, { at: 'now' })).body.moved).toEqual([]);
  });

  test('a migration now prorates a fee that rose (Starter from 49 to 59 EUR halfway through March: 5.00 net) and invoices nothing for a fee that stayed', async () => {
    await open('rising', 'starter');
    await open('steady', 'growth');
    const catalog = (await server.call('GET', '/v1/catalog')).body.catalog;
    catalog.plans.find((p: { code: string }) => p.code === 'starter').price = { month: 59, year: 590 };
    expect((await server.call('POST', '/v1/catalog/versions', { catalog })).status).toBe(201);
    // 15.5 of March's 31 days are left: half of each fee.
    server.clock.set('2026-03-16T12:00:00Z');
    const migrated = await server.call('POST', '/v1/catalog/versions/2/migrate', { at: 'now' });
    expect(migrated.body).toMatchObject({ moved: ['rising', 'steady'], scheduled: [], skipped: [] });
    const prorations = async (id: string) =>
      (await server.call('GET', `/v1/accounts/${id}/invoices`)).body.invoices.filter((i: { kind: string }) => i.kind === 'proration');
    const [rising] = await prorations('rising');
    expect(rising.lines.map((l: { net: string }) => l.net)).toEqual(['-24.50', '29.50']);
    expect(rising.net).toBe('5.00');
    expect(await prorations('steady')).toEqual([]);
    expect((await server.call('GET', '/v1/accounts/steady')).body.catalogVersion).toBe(2);
  });

  test('migrating to a version that does not exist is not found; a bad body names its field', async () => {
    expect((await server.call('POST', '/v1/catalog/versions/7/migrate', { at: 'now' })).status).toBe(404);
    const refused = await server.call('POST', '/v1/catalog/versions/1/migrate', { at: 'tomorrow' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('at');
    expect((await server.call('GET', '/v1/catalog/versions/first')).body.error.field).toBe('version');
  });
});

describe.each(STORES)('an event type a later version prices (%s)', (store) => {
  // Event types are the five built-in ones today: the minutes preset prices only calls, so an SMS is
  // the type "new" to a version that adds an SMS service.
  test('an account opened before the version refuses the SMS as unpriced; one opened after is charged', async () => {
    const server = await startTestServer(store, { now: NOW, catalog: 'minutes' });
    try {
      expect((await server.call('POST', '/v1/accounts', { id: 'before', name: 'before', plan: 'payg' })).status).toBe(201);
      const catalog = (await server.call('GET', '/v1/catalog')).body.catalog;
      catalog.services.push({
        code: 'sms_sent',
        name: 'SMS sent',
        channel: 'sms',
        event: 'sms',
        quantity: { type: 'sms_segments' },
        unit: 'segment',
        price: { amount: '0.09' },
      });
      expect((await server.call('POST', '/v1/catalog/versions', { catalog })).status).toBe(201);
      expect((await server.call('POST', '/v1/accounts', { id: 'after', name: 'after', plan: 'payg' })).status).toBe(201);
      const sms = (id: string, account: string) => ({
        id,
        account,
        type: 'sms',
        timestamp: NOW,
        data: { direction: 'outbound', text: 'Your appointment is confirmed' },
      });
      const refused = await server.call('POST', '/v1/events', sms('s1', 'before'));
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'unpriced_event', type: 'sms' });
      expect((await server.call('POST', '/v1/events', sms('s2', 'after'))).body).toMatchObject({ status: 'accepted', cost: '0.09' });
    } finally {
      await server.stop();
    }
  });
});

describe.each(STORES)('the catalog file at start (%s)', (store: StoreKind) => {
  test('a restart with a changed file publishes version 2 and logs it; with the same file it publishes nothing', async () => {
    const postgres = store === 'postgres' ? await createPostgresDatabase() : undefined;
    const db = await openStore({ databaseUrl: postgres?.url });
    const folder = mkdtempSync(join(tmpdir(), 'creditmeter-catalog-'));
    const file = join(folder, 'catalog.yaml');
    const preset = readFileSync(join(PRESET_DIRECTORY, 'credits.yaml'), 'utf8');
    writeFileSync(file, preset);
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const clock = new TestClock(new Date(NOW));
    const start = async () => {
      const server = await startServer({ db, catalog: loadCatalog(file), clock, log, cycleCheckMs: 0, rollupFoldMs: 0, upkeepMs: 0 });
      const latest = await (await fetch(`${server.url}/v1/catalog`, { headers: { authorization: `Bearer ${server.apiKey}` } })).json();
      await server.close();
      return latest as { version: number; catalog: any };
    };
    try {
      expect((await start()).version).toBe(1);
      expect(lines.filter((l) => l.includes('published as version 1'))).toHaveLength(1);

      writeFileSync(file, preset.replace('price: { amount: 40, per: 1000 }', 'price: { amount: 50, per: 1000 }'));
      const changed = await start();
      expect(changed.version).toBe(2);
      expect(changed.catalog.services[0].price).toEqual({ amount: 50, per: 1000 });
      expect(lines.filter((l) => l.includes(`catalog ${file} published as version 2`))).toHaveLength(1);

      const before = lines.length;
      expect((await start()).version).toBe(2);
      expect(lines.slice(before).filter((l) => l.includes('published as version'))).toEqual([]);
      const versions = await db.query<{ version: number }>('SELECT version FROM catalog_versions ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
    } finally {
      await db.close();
      await postgres?.drop();
    }
  });
});
