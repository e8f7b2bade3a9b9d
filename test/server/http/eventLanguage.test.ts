// The operator's own event language over HTTP (issue 24), on both stores. The models catalog
// (test/server/fixtures/models.yaml): chat input tokens cost 40 credits per 1,000 on the small
// model and 250 on the large one; an e-mail (a type of its own) costs 3 credits a message, 10
// more when urgent.
import { join } from 'node:path';
import { money } from '../../../server/src/domain/money';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const MODELS = join(__dirname, '../fixtures/models.yaml');

describe.each(STORES)('the catalog’s own event types and fields on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: MODELS, now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'studio', name: 'Studio', plan: 'payg' });
    await server.call('POST', '/v1/accounts/studio/topups', { amount: '100000', reference: 'opening' });
    server.clock.set('2026-03-01T12:00:00Z');
  });
  afterAll(() => server.stop());

  const record = (id: string, type: string, data: object, timestamp = '2026-03-01T10:00:00Z') =>
    server.call('POST', '/v1/events', { account: 'studio', id, type, timestamp, data });
  const balance = async () => (await server.call('GET', '/v1/accounts/studio/balance')).body.balance;

  test('chat input tokens are charged at the price of the model behind the turn: 40 or 250 credits per 1,000', async () => {
    const small = await record('chat-small', 'chat', { input_tokens: 1000, output_tokens: 300, model: 'small' });
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ cost: '40', charges: [{ service: 'chat_small_input', channel: 'ai_chat', billedQuantity: '1000', amount: '40' }] });
    const large = await record('chat-large', 'chat', { input_tokens: 2000, output_tokens: 300, model: 'large' });
    expect(large.body).toMatchObject({ cost: '500', charges: [{ service: 'chat_large_input', billedQuantity: '2000', amount: '500' }] });
    // 100,000 - 40 - 500.
    expect(await balance()).toBe('99460');
  });

  test('an e-mail, a type the catalog declares, is recorded and charged: 3 messages at 3 credits and the urgent surcharge of 10', async () => {
    const email = await record('mail-1', 'email', { messages: 3, model: 'large', urgent: true, campaign: 'spring' });
    expect(email.status).toBe(201);
    expect(email.body.cost).toBe('19');
    expect(email.body.charges.map((c: { service: string; amount: string }) => [c.service, c.amount])).toEqual([
      ['email_sent', '9'],
      ['email_urgent', '10'],
    ]);
    const stored = await server.call('GET', '/v1/events/mail-1?account=studio');
    expect(stored.body).toMatchObject({ type: 'email', data: { messages: 3, model: 'large', urgent: true, campaign: 'spring' }, cost: '19' });
    // 99,460 - 19.
    expect(await balance()).toBe('99441');
  });

  test('an undeclared field, an ill-typed field and an unknown type get 422 naming the field, and write nothing', async () => {
    const cases: [string, object, string, RegExp][] = [
      ['chat', { input_tokens: 10, output_tokens: 0, model: 'small', temperature: 0.2 }, 'data.temperature', /unknown field temperature/],
      ['chat', { input_tokens: 10, output_tokens: 0, model: 'medium' }, 'data.model', /must be one of small, large/],
      ['email', { messages: '3' }, 'data.messages', /number/],
      ['email', { messages: 2, urgent: 'yes' }, 'data.urgent', /boolean/],
      ['email', { model: 'small' }, 'data.messages', /number/],
      ['fax', { pages: 1 }, 'type', /must be one of chat, call, sms, whatsapp, ai_conversation, email/],
    ];
    for (const [index, [type, data, field, message]] of cases.entries()) {
      const response = await record(`bad-${index}`, type, data);
      expect([type, response.status, response.body.error.field]).toEqual([type, 422, field]);
      expect(response.body.error.message).toMatch(message);
    }
    const batch = await server.call('POST', '/v1/events/batch', {
      events: cases.map(([type, data], index) => ({ account: 'studio', id: `bad-batch-${index}`, type, timestamp: '2026-03-01T10:00:00Z', data })),
    });
    expect(batch.body).toMatchObject({ accepted: 0, rejected: cases.length });
    expect(batch.body.results.map((r: { error: { field: string } }) => r.error.field)).toEqual(cases.map(([, , field]) => field));
    const events = await server.call('GET', '/v1/events?account=studio');
    expect(events.body.events.map((e: { id: string }) => e.id).sort()).toEqual(['chat-large', 'chat-small', 'mail-1']);
    expect(await balance()).toBe('99441');
  });

  test('authorize and the event list know the declared type and refuse an unknown one naming type', async () => {
    const authorized = await server.call('POST', '/v1/accounts/studio/authorize', { type: 'email', data: { messages: 2 } });
    expect(authorized.status).toBe(200);
    const unknown = await server.call('POST', '/v1/accounts/studio/authorize', { type: 'fax', data: {} });
    expect([unknown.status, unknown.body.error.field]).toEqual([422, 'type']);
    const illTyped = await server.call('POST', '/v1/accounts/studio/authorize', { type: 'email', data: { messages: 'two' } });
    expect([illTyped.status, illTyped.body.error.field]).toEqual([422, 'data.messages']);
    const emails = await server.call('GET', '/v1/events?account=studio&type=email');
    expect(emails.body.events.map((e: { id: string }) => e.id)).toEqual(['mail-1']);
    expect((await server.call('GET', '/v1/events?account=studio&type=fax')).body.error.field).toBe('type');
  });

  test('a report grouped by model sums each model’s charges, and equals the ledger', async () => {
    const report = await server.call('GET', '/v1/reports/costs?account=studio&from=2026-03-01&to=2026-03-02&groupBy=model');
    expect(report.status).toBe(200);
    expect(report.body.groups.map((g: { model: string | null; amount: string }) => [g.model, g.amount])).toEqual([
      // The large model's chat (500) and e-mail (19); the small one's chat (40).
      ['large', '519'],
      ['small', '40'],
    ]);
    expect(report.body.totals).toEqual({ amount: '559', charges: 4 });
    const byChannelAndModel = await server.call('GET', '/v1/reports/costs?account=studio&from=2026-03-01&to=2026-03-02&groupBy=channel,model');
    expect(
      byChannelAndModel.body.groups.map((g: { channel: string; channelName: string; model: string; amount: string }) => [
        g.channel,
        g.channelName,
        g.model,
        g.amount,
      ]),
    ).toEqual([
      ['ai_chat', 'AI chat', 'large', '500'],
      ['ai_chat', 'AI chat', 'small', '40'],
      // A channel of the operator's own is named by its code.
      ['email', 'email', 'large', '19'],
    ]);
    const [ledger] = await server.db.query<{ debits: string }>(
      `SELECT (-sum(amount))::text AS debits FROM ledger_entries WHERE account_id = 'studio' AND kind = 'usage'`,
    );
    expect(money(report.body.totals.amount).equals(money(ledger!.debits))).toBe(true);
  });

  test('a voided event leaves its model’s group, folded or not', async () => {
    expect((await server.call('POST', '/v1/events/chat-small/void', { account: 'studio', reason: 'test turn' })).status).toBe(200);
    const ask = async () =>
      (await server.call('GET', '/v1/reports/costs?account=studio&from=2026-03-01&to=2026-03-02&groupBy=model')).body.groups.map(
        (g: { model: string; amount: string }) => [g.model, g.amount],
      );
    // The small model's 40 credits are given back: its group sums to 0.
    expect(await ask()).toEqual([
      ['large', '519'],
      ['small', '0'],
    ]);
    await server.rollups.check();
    expect(await ask()).toEqual([
      ['large', '519'],
      ['small', '0'],
    ]);
  });

  test('groupBy names a built-in dimension or one the catalog declares; any other gets 422 naming groupBy', async () => {
    const response = await server.call('GET', '/v1/reports/costs?account=studio&period=current_cycle&groupBy=urgent');
    expect([response.status, response.body.error.field]).toEqual([422, 'groupBy']);
    expect(response.body.error.message).toBe(
      "must be a comma-separated list of channel, service, assistant, campaign, number, day, month, model; 'urgent' is none",
    );
  });

  test('the plans list the declared type among the priced ones, and the catalog lists every type with its fields', async () => {
    expect((await server.call('GET', '/v1/plans')).body.eventTypes).toEqual(['chat', 'email']);
    const listed = await server.call('GET', '/v1/catalog/events');
    expect(listed.status).toBe(200);
    expect(listed.body.eventTypes.map((t: { type: string; builtIn: boolean; priced: boolean }) => [t.type, t.builtIn, t.priced])).toEqual([
      ['chat', true, true],
      ['call', true, false],
      ['sms', true, false],
      ['whatsapp', true, false],
      ['ai_conversation', true, false],
      ['email', false, true],
    ]);
    const email = listed.body.eventTypes.find((t: { type: string }) => t.type === 'email');
    expect(email.fields).toContainEqual({ name: 'messages', type: 'integer', required: true, declared: true, min: 1, max: 1000, dimension: false });
    const sms = listed.body.eventTypes.find((t: { type: string }) => t.type === 'sms');
    expect(sms.fields).toContainEqual({ name: 'direction', type: 'string', required: true, declared: false, enum: ['inbound', 'outbound'], dimension: false });
  });
});
