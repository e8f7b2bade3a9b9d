// The event language against hostile input (review of issue 24), on both stores. The images catalog
// (test/server/fixtures/images.yaml) charges 0.10 EUR an image, counted from the event's `count`,
// and groups reports by four dimensions of its own: model, region, style and size.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const IMAGES = join(__dirname, '../fixtures/images.yaml');

/**
 * `length` CJK characters (3 bytes each in UTF-8) drawn by SHA-256 from the seed: the same each run,
 * and scattered enough that PostgreSQL's compression of index rows cannot shorten them.
 */
function incompressible(length: number, seed: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += String.fromCodePoint(0x4e00 + (createHash('sha256').update(`${seed}:${i}`).digest().readUInt32BE(0) % 0x5200));
  return text;
}

describe.each(STORES)('the event language against hostile input on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: IMAGES, now: '2026-03-01T00:00:00Z' });
    server.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => server.stop());

  const open = async (id: string) => {
    expect((await server.call('POST', '/v1/accounts', { id, name: 'Studio', plan: 'payg' })).status).toBe(201);
    expect((await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '1000', reference: 'opening' })).status).toBe(201);
  };
  const image = (account: string, id: string, data: object) =>
    server.call('POST', '/v1/events', { account, id, type: 'image', timestamp: '2026-03-01T10:00:00Z', data });
  const balance = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/balance`)).body.balance;

  test('an image event counting -1,000,000 images (a credit of 100,000 EUR) or 1e300 is refused with 422 naming data.count, and writes nothing', async () => {
    await open('forger');
    for (const [index, count] of [-1_000_000, -1, 1e300, 1_000_000_001].entries()) {
      const response = await image('forger', `forged-${index}`, { count });
      expect([count, response.status, response.body.error.field]).toEqual([count, 422, 'data.count']);
    }
    const batch = await server.call('POST', '/v1/events/batch', {
      events: [{ account: 'forger', id: 'forged-batch', type: 'image', timestamp: '2026-03-01T10:00:00Z', data: { count: -1_000_000 } }],
    });
    expect(batch.body).toMatchObject({ accepted: 0, rejected: 1, results: [{ error: { field: 'data.count' } }] });
    const estimate = await server.call('POST', '/v1/accounts/forger/authorize', { type: 'image', data: { count: -1_000_000 } });
    expect([estimate.status, estimate.body.error.field]).toEqual([422, 'data.count']);
    expect((await server.call('GET', '/v1/events?account=forger')).body.events).toEqual([]);
    expect(await balance('forger')).toBe('1000');
    // Three images cost 0.30 EUR.
    expect((await image('forger', 'honest', { count: 3 })).body.cost).toBe('0.3');
    expect(await balance('forger')).toBe('999.7');
  });

  test('a catalog version whose quantity field may go negative is refused naming its path, and none is published', async () => {
    const latest = (await server.call('GET', '/v1/catalog')).body;
    const catalog = structuredClone(latest.catalog);
    catalog.events.image.fields.count.min = -1_000_000;
    const refused = await server.call('POST', '/v1/catalog/versions', { catalog });
    expect([refused.status, refused.body.error.field]).toEqual([422, 'catalog.events.image.fields.count.min']);
    expect((await server.call('GET', '/v1/catalog/versions')).body.versions).toHaveLength(1);
  });

  test("a dimension's value longer than 128 characters is refused with 422 naming it", async () => {
    await open('verbose');
    const response = await image('verbose', 'long-model', { count: 1, model: 'm'.repeat(129) });
    expect([response.status, response.body.error.field]).toEqual([422, 'data.model']);
    expect((await server.call('GET', '/v1/events?account=verbose')).body.events).toEqual([]);
  });

  test("a catalog version whose service's unit is longer than 64 characters is refused naming it, and none is published", async () => {
    const versions = (await server.call('GET', '/v1/catalog/versions')).body.versions.length;
    const catalog = structuredClone((await server.call('GET', '/v1/catalog')).body.catalog);
    catalog.services[0].unit = 'i'.repeat(65);
    const refused = await server.call('POST', '/v1/catalog/versions', { catalog });
    expect([refused.status, refused.body.error.field]).toEqual([422, 'catalog.services[0].unit']);
    expect((await server.call('GET', '/v1/catalog/versions')).body.versions).toHaveLength(versions);
  });

  test('the longest rollup key the language allows folds: a unit of 64 and four dimension values and three labels of 128 three-byte characters', async () => {
    // The account opens on a version whose unit is as long as a unit may be.
    const catalog = structuredClone((await server.call('GET', '/v1/catalog')).body.catalog);
    catalog.services[0].unit = incompressible(64, 8);
    expect((await server.call('POST', '/v1/catalog/versions', { catalog })).status).toBe(201);
    const account = `a${'x'.repeat(127)}`;
    await open(account);
    const groups = {
      model: incompressible(128, 1),
      region: incompressible(128, 2),
      style: incompressible(128, 3),
      size: incompressible(128, 4),
      assistant: incompressible(128, 5),
      campaign: incompressible(128, 6),
      number: incompressible(128, 7),
    };
    expect((await image(account, 'widest', { count: 2, ...groups })).status).toBe(201);
    // The fold moves every waiting increment in one statement: one row it cannot index stops it for all.
    await server.rollups.check();
    const [waiting] = await server.db.query<{ count: string }>('SELECT count(*)::text AS count FROM usage_rollup_increments');
    expect(waiting!.count).toBe('0');
    const report = await server.call(
      'GET',
      `/v1/reports/costs?account=${account}&from=2026-03-01&to=2026-03-02&groupBy=model,region,style,size,assistant,campaign,number`,
    );
    expect(report.status).toBe(200);
    expect(report.body.groups).toHaveLength(1);
    expect(report.body.groups[0]).toMatchObject({ ...groups, amount: '0.2' });
  });

  test('a void after the account moved to a version without the dimension takes the rollups back from the key the event was recorded under', async () => {
    await open('mover');
    expect((await image('mover', 'moved', { count: 2, model: 'large' })).status).toBe(201);
    const latest = (await server.call('GET', '/v1/catalog')).body;
    const catalog = structuredClone(latest.catalog);
    catalog.events.image.fields.model.dimension = false;
    const published = await server.call('POST', '/v1/catalog/versions', { catalog });
    expect(published.status).toBe(201);
    expect((await server.call('POST', `/v1/catalog/versions/${published.body.version}/migrate`, { at: 'now' })).status).toBe(200);
    expect((await server.call('POST', '/v1/events/moved/void', { account: 'mover', reason: 'test image' })).status).toBe(200);
    await server.rollups.check();
    const rows = await server.db.query<{ dimensions: string; amount: string; charges: string }>(
      `SELECT dimensions, sum(amount)::text AS amount, sum(charges)::text AS charges FROM usage_rollups WHERE account_id = 'mover' GROUP BY dimensions`,
    );
    // 0.20 EUR charged and taken back on the one key: no group keeps +0.20 and another -0.20.
    expect(rows.map((r) => [r.dimensions, Number(r.amount), r.charges])).toEqual([['{"model":"large"}', 0, '0']]);
  });
});
