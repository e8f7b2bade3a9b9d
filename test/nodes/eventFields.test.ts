// Record Event with the server's own event language (issue 24): the node offers the fields a
// catalog declares through its Event Fields mapper, read from GET /v1/catalog/events, so a type of
// the operator's own needs no node update. Models catalog (test/server/fixtures/models.yaml): an
// e-mail costs 3 credits a message and 10 more when urgent; large-model chat input 250 credits per
// 1,000 tokens.
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../server/support/servers';
import { ACTION, loadOptions, resourceMapping, runWorkflow } from './support/n8n';

let server: TestServer;
let credentials: { baseUrl: string; apiKey: string };

beforeAll(async () => {
  server = await startTestServer('pglite', { catalog: join(__dirname, '../server/fixtures/models.yaml') });
  credentials = { baseUrl: `${server.url}/`, apiKey: server.apiKey };
  await server.call('POST', '/v1/accounts', { id: 'studio', name: 'Studio', plan: 'payg' });
  await server.call('POST', '/v1/accounts/studio/topups', { amount: '10000', reference: 'opening' });
});
afterAll(() => server.stop());

async function record(parameters: Record<string, unknown>) {
  const result = await runWorkflow(
    credentials,
    [{ name: 'CreditMeter', type: ACTION, parameters: { resource: 'usage', operation: 'record', accountId: 'studio', ...parameters } }],
    [{ json: {} }],
  );
  return { error: result.error, json: result.output('CreditMeter').map((item) => item.json) };
}

test("the type picker offers the catalog's own type by its code", async () => {
  expect(await loadOptions(credentials, 'getEventTypes')).toEqual([
    { name: 'Chat', value: 'chat' },
    { name: 'email', value: 'email' },
  ]);
});

test("a declared type's fields are all offered, typed, required where the catalog says so", async () => {
  const { fields } = await resourceMapping(credentials, 'getEventFields', { resource: 'usage', operation: 'record', type: 'email' });
  expect(fields).toEqual([
    { id: 'assistant', displayName: 'assistant', required: false, defaultMatch: false, display: true, type: 'string' },
    { id: 'campaign', displayName: 'campaign', required: false, defaultMatch: false, display: true, type: 'string' },
    { id: 'number', displayName: 'number', required: false, defaultMatch: false, display: true, type: 'string' },
    { id: 'messages', displayName: 'messages (1 to 1000)', required: true, defaultMatch: false, display: true, type: 'number' },
    { id: 'model', displayName: 'model', required: false, defaultMatch: false, display: true, type: 'string' },
    { id: 'urgent', displayName: 'urgent', required: false, defaultMatch: false, display: true, type: 'boolean' },
  ]);
});

test('a built-in type offers only the fields the catalog adds to it: a chat its model, as a list', async () => {
  const { fields } = await resourceMapping(credentials, 'getEventFields', { resource: 'usage', operation: 'record', type: 'chat' });
  expect(fields).toEqual([
    {
      id: 'model',
      displayName: 'model',
      required: false,
      defaultMatch: false,
      display: true,
      type: 'options',
      options: [
        { name: 'small', value: 'small' },
        { name: 'large', value: 'large' },
      ],
    },
  ]);
});

test('Record Event sends the mapped fields: an urgent e-mail of 3 messages costs 19 credits', async () => {
  const sent = await record({ type: 'email', id: 'mail-n8n', eventFields: { mappingMode: 'defineBelow', value: { messages: 3, urgent: true, model: '' } } });
  expect(sent.error).toBeUndefined();
  expect(sent.json[0]).toMatchObject({ status: 'accepted', id: 'mail-n8n', cost: '19' });
  // The empty model was left out, not sent as ''.
  expect((await server.call('GET', '/v1/events/mail-n8n?account=studio')).body.data).toEqual({ messages: 3, urgent: true });
});

test("a chat's mapped model joins its token parameters: 2,000 large-model input tokens cost 500 credits", async () => {
  const sent = await record({
    type: 'chat',
    id: 'chat-n8n',
    inputTokens: 2000,
    outputTokens: 10,
    eventFields: { mappingMode: 'defineBelow', value: { model: 'large' } },
  });
  expect(sent.json[0]).toMatchObject({ status: 'accepted', cost: '500' });
});

test("the mapper offers the fields of the named account's catalog version: a field published since is the latest's, not the account's", async () => {
  // Last: it publishes a version with a priority on every e-mail.
  const latest = (await server.call('GET', '/v1/catalog')).body.catalog;
  latest.events.email.fields.priority = { type: 'integer', min: 1, max: 5 };
  expect((await server.call('POST', '/v1/catalog/versions', { catalog: latest })).status).toBe(201);
  const offered = async (accountId: string) =>
    (await resourceMapping(credentials, 'getEventFields', { resource: 'usage', operation: 'record', type: 'email', accountId })).fields.map((f) => f.id);
  expect(await offered('studio')).not.toContain('priority');
  // The account picker (node version 3) gives its value the same way.
  const picked = await resourceMapping(credentials, 'getEventFields', {
    resource: 'usage',
    operation: 'record',
    type: 'email',
    accountId: { __rl: true, mode: 'list', value: 'studio' },
  });
  expect(picked.fields.map((f) => f.id)).not.toContain('priority');
  // An account not opened yet, and one named by an expression, are offered the latest version's fields.
  expect(await offered('opens-tomorrow')).toContain('priority');
  expect(await offered('={{ $json.account }}')).toContain('priority');
  // An ID the server refuses (a picker's value in an old form) is no reason to offer nothing.
  expect(await offered('not an id!')).toContain('priority');
});
