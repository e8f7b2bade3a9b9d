// A catalog version published at run time in the open language (issue 24): the latest version
// declares the model behind a chat turn and an e-mail type of the operator's own, and prices input
// tokens per model (40 credits per 1,000 for the small model, 250 for the large one). An account
// opened on version 1 keeps its prices and its language: it refuses the new field and the new type,
// and pays 40 per 1,000 as before; an account opened after the version is rated by it.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const NOW = '2026-03-01T00:00:00Z';

/** The credits preset as published, with chat input tokens priced per model and an e-mail type of 3 credits a message. */
function withModelsAndEmail(catalog: any) {
  const copy = structuredClone(catalog);
  copy.events = {
    chat: { fields: { model: { type: 'string', enum: ['small', 'large'], dimension: true } } },
    email: { fields: { messages: { type: 'integer', required: true, min: 1, max: 1000 } } },
  };
  const input = copy.services.findIndex((s: { code: string }) => s.code === 'chat_input_tokens');
  copy.services.splice(
    input,
    1,
    {
      code: 'chat_small_input',
      name: 'Small model input tokens',
      channel: 'ai_chat',
      event: 'chat',
      when: { model: 'small' },
      quantity: { type: 'field', field: 'input_tokens' },
      unit: 'token',
      price: { amount: 40, per: 1000 },
    },
    {
      code: 'chat_large_input',
      name: 'Large model input tokens',
      channel: 'ai_chat',
      event: 'chat',
      when: { model: 'large' },
      quantity: { type: 'field', field: 'input_tokens' },
      unit: 'token',
      price: { amount: 250, per: 1000 },
    },
  );
  copy.services.push({
    code: 'email_sent',
    name: 'E-mail sent',
    channel: 'email',
    event: 'email',
    quantity: { type: 'field', field: 'messages' },
    unit: 'message',
    price: { amount: 3 },
  });
  return copy;
}

describe.each(STORES)('a catalog version in the open language (%s)', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { now: NOW });
    const open = async (id: string) => {
      expect((await server.call('POST', '/v1/accounts', { id, name: id, plan: 'payg' })).status).toBe(201);
      expect((await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '100000', reference: `pay-${id}` })).status).toBe(201);
    };
    await open('early');
    const latest = (await server.call('GET', '/v1/catalog')).body;
    const published = await server.call('POST', '/v1/catalog/versions', { catalog: withModelsAndEmail(latest.catalog) });
    expect(published.body).toMatchObject({ version: 2 });
    await open('late');
  });
  afterAll(() => server.stop());

  const record = (id: string, account: string, type: string, data: object) => server.call('POST', '/v1/events', { id, account, type, timestamp: NOW, data });

  test('an account opened after the version pays each model its price: 2,000 large-model tokens 500 credits, 1,000 small-model 40', async () => {
    const large = await record('l-1', 'late', 'chat', { input_tokens: 2000, output_tokens: 0, model: 'large' });
    const small = await record('l-2', 'late', 'chat', { input_tokens: 1000, output_tokens: 0, model: 'small' });
    expect([large.status, large.body.cost, small.status, small.body.cost]).toEqual([201, '500', 201, '40']);
    expect(large.body.charges.map((c: { service: string }) => c.service)).toContain('chat_large_input');
  });

  test('it records the e-mail type of its version: 3 messages at 3 credits, 9 credits', async () => {
    const sent = await record('l-3', 'late', 'email', { messages: 3 });
    expect([sent.status, sent.body.cost]).toEqual([201, '9']);
  });

  test('an account opened before keeps version 1: the new field and the new type are refused by name, and input tokens cost 40 per 1,000 as before', async () => {
    const withModel = await record('e-1', 'early', 'chat', { input_tokens: 1000, output_tokens: 0, model: 'large' });
    expect(withModel.status).toBe(422);
    expect(withModel.body.error.field).toBe('data.model');
    const email = await record('e-2', 'early', 'email', { messages: 3 });
    expect(email.status).toBe(422);
    expect(email.body.error.field).toBe('type');
    const plain = await record('e-3', 'early', 'chat', { input_tokens: 1000, output_tokens: 0 });
    expect([plain.status, plain.body.cost]).toEqual([201, '40']);
    expect((await server.call('GET', '/v1/events?account=early')).body.events.map((e: { id: string }) => e.id)).toEqual(['e-3']);
  });

  test('the event types each account may record are listed from its version: e-mail and the model for the new account, neither for the old', async () => {
    const typesOf = async (query: string) => {
      const answer = await server.call('GET', `/v1/catalog/events${query}`);
      expect(answer.status).toBe(200);
      const types = answer.body.eventTypes as { type: string; fields: { name: string }[] }[];
      return { types: types.map((t) => t.type), chat: types.find((t) => t.type === 'chat')!.fields.map((f) => f.name) };
    };
    const late = await typesOf('?account=late');
    expect([late.types.includes('email'), late.chat.includes('model')]).toEqual([true, true]);
    const early = await typesOf('?account=early');
    expect([early.types.includes('email'), early.chat.includes('model')]).toEqual([false, false]);
    expect(await typesOf('')).toEqual(late);
    const nobody = await server.call('GET', '/v1/catalog/events?account=nobody');
    expect([nobody.status, nobody.body.error.code]).toEqual([404, 'not_found']);
  });

  test("authorize estimates with the account's version: a large-model turn of 2,000 tokens is 500 credits for the new account, and refused by field for the old", async () => {
    const late = await server.call('POST', '/v1/accounts/late/authorize', { type: 'chat', data: { input_tokens: 2000, model: 'large' } });
    expect(late.status).toBe(200);
    expect(late.body.estimatedCost).toBe('500');
    const early = await server.call('POST', '/v1/accounts/early/authorize', { type: 'chat', data: { input_tokens: 2000, model: 'large' } });
    expect(early.status).toBe(422);
    expect(early.body.error.field).toBe('data.model');
  });
});
