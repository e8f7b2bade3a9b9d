// The Plan resource's catalog operations, executed by n8n against a real creditmeter server (credits
// preset): Get Catalog, Publish Catalog Version, and Change Plan with Catalog Version: latest.
import { startTestServer, type TestServer } from '../server/support/servers';
import { ACTION, runWorkflow, type NodeSpec } from './support/n8n';

let server: TestServer;
let credentials: { baseUrl: string; apiKey: string };

beforeAll(async () => {
  server = await startTestServer('pglite', { catalog: 'credits' });
  credentials = { baseUrl: `${server.url}/`, apiKey: server.apiKey };
  await server.call('POST', '/v1/accounts', { id: 'cafe', name: 'Cafe', plan: 'payg' });
  await server.call('POST', '/v1/accounts/cafe/topups', { amount: '10000', reference: 'opening' });
});
afterAll(() => server.stop());

async function run(parameters: NodeSpec['parameters']) {
  const result = await runWorkflow(credentials, [{ name: 'CreditMeter', type: ACTION, parameters }], [{ json: {} }]);
  return { error: result.error, json: result.output('CreditMeter').map((item) => item.json) };
}

const chat = (id: string) => ({
  id,
  account: 'cafe',
  type: 'chat',
  timestamp: server.clock.now().toISOString(),
  data: { input_tokens: 1000, output_tokens: 0 },
});

describe('Plan: catalog versions', () => {
  test('get the catalog, publish a version with chat input tokens at 50 credits per 1,000, and move an account to it', async () => {
    const got = await run({ resource: 'plan', operation: 'getCatalog' });
    expect(got.error).toBeUndefined();
    expect(got.json[0]).toMatchObject({ version: 1, catalog: { name: 'credits' } });

    const catalog = structuredClone(got.json[0]!['catalog']) as { services: { code: string; price: unknown }[] };
    catalog.services.find((s) => s.code === 'chat_input_tokens')!.price = { amount: 50, per: 1000 };
    const published = await run({ resource: 'plan', operation: 'publishCatalog', catalog: JSON.stringify(catalog) });
    expect(published.error).toBeUndefined();
    expect(published.json[0]).toMatchObject({ version: 2, created: true });
    const refused = await run({ resource: 'plan', operation: 'publishCatalog', catalog: '{"name": "broken"}' });
    expect(refused.error?.message).toMatch(/catalog\./);

    // The account keeps version 1 (40 credits per 1,000) until its plan change asks for the latest.
    expect((await server.call('POST', '/v1/events', chat('e1'))).body.cost).toBe('40');
    const keep = await run({
      resource: 'plan',
      operation: 'previewChange',
      accountId: 'cafe',
      targetPlan: 'payg',
      targetInterval: '',
      catalogVersion: 'keep',
      preview: true,
    });
    expect(keep.json[0]).toMatchObject({ kind: 'none' });
    const preview = await run({
      resource: 'plan',
      operation: 'previewChange',
      accountId: 'cafe',
      targetPlan: 'payg',
      targetInterval: '',
      catalogVersion: 'latest',
      preview: true,
    });
    expect(preview.json[0]).toMatchObject({ preview: true, catalogVersion: { from: 1, to: 2 } });
    const changed = await run({ resource: 'plan', operation: 'change', accountId: 'cafe', targetPlan: 'payg', targetInterval: '', catalogVersion: 'latest' });
    expect(changed.json[0]).toMatchObject({ catalogVersion: { from: 1, to: 2 } });
    expect((await server.call('POST', '/v1/events', chat('e2'))).body.cost).toBe('50');
  });
});
