// Two server processes starting at once on one PostgreSQL database with the same catalog file
// publish it once, and serve the same latest version after either publishes another.
import type { ChildProcess } from 'node:child_process';
import { KEY, post, startProcess } from '../support/processes';
import { createPostgresDatabase } from '../support/servers';

const get = async (url: string, path: string) => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${KEY}` } })).json() as Promise<any>;

describe('catalog versions across two server processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let servers: { url: string; child: ChildProcess }[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    servers = await Promise.all([startProcess(database.url), startProcess(database.url)]);
  });
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await database.drop();
  });

  test('both start on version 1, published once, and both see the version either publishes next', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    expect((await get(a.url, '/v1/catalog/versions')).versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await get(b.url, '/v1/catalog')).version).toBe(1);

    const catalog = (await get(a.url, '/v1/catalog')).catalog;
    catalog.services.find((s: { code: string }) => s.code === 'chat_input_tokens').price = { amount: 50, per: 1000 };
    expect((await post(a.url, '/v1/catalog/versions', { catalog })).status).toBe(201);
    expect(await get(b.url, '/v1/catalog')).toEqual({ version: 2, catalog });

    // An account opened through the other process is on version 2: 1,000 input tokens cost 50 credits.
    expect((await post(b.url, '/v1/accounts', { id: 'cafe', name: 'Cafe', plan: 'payg' })).status).toBe(201);
    expect((await post(a.url, '/v1/accounts/cafe/topups', { amount: '1000', reference: 'pay-1' })).status).toBe(201);
    const event = { id: 'e1', account: 'cafe', type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } };
    expect((await post(a.url, '/v1/events', event)).body).toMatchObject({ status: 'accepted', cost: '50' });
  });
});
