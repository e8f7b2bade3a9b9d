// Finding the event behind a charge, on both stores: an account's stored events newest first with
// their cost, narrowed by type, time, assistant, campaign and number, paged by cursor. Credits
// preset (DOMAIN.md model 2): chat input 40 credits per 1,000 tokens, a call's connection 95 credits
// a minute, an SMS sent 2,500 credits a segment.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const NUMBER = '+4930555000';

describe.each(STORES)('the event list on %s', (store) => {
  let server: TestServer;
  const list = async (query: string) => server.call('GET', `/v1/events?${query}`);
  const ids = async (query: string) => ((await list(query)).body.events as { id: string }[]).map((e) => e.id);

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-10T13:00:00Z' });
    for (const id of ['salon', 'other']) await server.call('POST', '/v1/accounts', { id, name: id, plan: 'payg' });
    await server.call('POST', '/v1/accounts/salon/topups', { amount: '100000', reference: 'opening' });
    const events = [
      { id: 'e1', type: 'chat', timestamp: '2026-03-10T09:00:00Z', data: { input_tokens: 1000, output_tokens: 0, assistant: 'booking' } },
      { id: 'e2', type: 'call', timestamp: '2026-03-10T10:00:00Z', data: { duration_seconds: 60, assistant: 'booking', campaign: 'spring', number: NUMBER } },
      { id: 'e3', type: 'sms', timestamp: '2026-03-10T11:00:00Z', data: { direction: 'outbound', text: 'Your appointment is confirmed.', campaign: 'spring', number: NUMBER } },
      { id: 'e4', type: 'call', timestamp: '2026-03-10T12:00:00Z', data: { duration_seconds: 120, assistant: 'support' } },
      { id: 'e5', type: 'chat', timestamp: '2026-03-10T12:00:00Z', data: { input_tokens: 500, output_tokens: 0, assistant: 'support' } },
    ];
    for (const event of events) expect((await server.call('POST', '/v1/events', { ...event, account: 'salon' })).status).toBe(201);
    await server.call('POST', '/v1/accounts/other/topups', { amount: '1000', reference: 'opening' });
    expect((await server.call('POST', '/v1/events', { id: 'o1', account: 'other', type: 'chat', timestamp: '2026-03-10T12:30:00Z', data: { input_tokens: 1000, output_tokens: 0 } })).status).toBe(201);
  });
  afterAll(() => server.stop());

  test('the newest first, each with its cost in the balance unit; events at the same moment by id', async () => {
    const { status, body } = await list('account=salon');
    expect(status).toBe(200);
    expect(body.events.map((e: { id: string; cost: string }) => [e.id, e.cost])).toEqual([
      ['e5', '20'],
      ['e4', '190'],
      ['e3', '2500'],
      ['e2', '95'],
      ['e1', '40'],
    ]);
    expect(body.events[0]).toMatchObject({ account: 'salon', type: 'chat', timestamp: '2026-03-10T12:00:00.000Z', unit: 'credits', data: { input_tokens: 500, assistant: 'support' } });
    expect(body.events[0].charges).toEqual([
      expect.objectContaining({ service: 'chat_input_tokens', amount: '20' }),
      expect.objectContaining({ service: 'chat_output_tokens', amount: '0' }),
    ]);
    expect(body.nextCursor).toBeNull();
  });

  test('narrowed by type, assistant, campaign, number and time', async () => {
    expect(await ids('account=salon&type=call')).toEqual(['e4', 'e2']);
    expect(await ids('account=salon&assistant=booking')).toEqual(['e2', 'e1']);
    expect(await ids('account=salon&campaign=spring')).toEqual(['e3', 'e2']);
    expect(await ids(`account=salon&number=${encodeURIComponent(NUMBER)}&type=sms`)).toEqual(['e3']);
    // From inclusive, to exclusive; a date is its midnight (UTC).
    expect(await ids('account=salon&from=2026-03-10T11:00:00Z&to=2026-03-10T12:00:00Z')).toEqual(['e3']);
    expect(await ids('account=salon&from=2026-03-10&to=2026-03-11')).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(await ids('account=salon&from=2026-03-11')).toEqual([]);
    expect(await ids('account=salon&assistant=nobody')).toEqual([]);
  });

  test('paged by cursor, the filters kept, every event once', async () => {
    const pages: string[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: any } = await list(`account=salon&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      pages.push(page.body.events.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
    }
    expect(pages).toEqual([['e5', 'e4'], ['e3', 'e2'], ['e1']]);
    const first = (await list('account=salon&type=call&limit=1')).body;
    expect(first.events.map((e: { id: string }) => e.id)).toEqual(['e4']);
    expect(await ids(`account=salon&type=call&limit=1&cursor=${first.nextCursor}`)).toEqual(['e2']);
  });

  test('bad queries are refused with the field named', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'e1'])).toString('base64url');
    for (const [query, field] of [
      ['', 'account'],
      ['account=salon&type=fax', 'type'],
      ['account=salon&from=2026-03-10T12:00:00Z&to=2026-03-10T12:00:00Z', 'to'],
      ['account=salon&from=soon', 'from'],
      ['account=salon&cursor=not-a-cursor', 'cursor'],
      [`account=salon&cursor=${forged}`, 'cursor'],
      ['account=salon&limit=0', 'limit'],
      ['account=salon&limit=1001', 'limit'],
      ['account=salon&colour=red', 'colour'],
      ['account=salon&assistant=%00', 'assistant'],
    ] as const) {
      expect([query, await list(query)]).toMatchObject([query, { status: 422, body: { error: { field } } }]);
    }
    expect(await list('account=nobody')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  test('a key limited to another account finds none of these', async () => {
    const limited = (await server.call('POST', '/v1/api-keys', { name: 'other only', scopes: ['read'], accounts: ['other'] })).body.key as string;
    const as = async (query: string) => {
      const response = await fetch(`${server.url}/v1/events?${query}`, { headers: { authorization: `Bearer ${limited}` } });
      return { status: response.status, body: (await response.json()) as any };
    };
    expect(await as('account=salon')).toMatchObject({ status: 404 });
    expect((await as('account=other')).body.events.map((e: { id: string }) => e.id)).toEqual(['o1']);
  });
});
