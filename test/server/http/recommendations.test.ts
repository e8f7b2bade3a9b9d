// Plan recommendations from measured usage, the template and the integrations. Conversations
// preset (DOMAIN.md model 5): each AI conversation beyond the included ones costs 0.30 EUR on a
// monthly plan; Essentials (99 EUR, 20 suggested-reply conversations, no autopilot), Boost (199,
// 50, autopilot), Pro (399, 100, autopilot); playground conversations are free.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T10:00:00Z';

describe.each(STORES)('recommendations on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'conversations', now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'trial', name: 'Trial', plan: 'trial', metadata: { template: 'support', integrations: 'zendesk, slack' } });
    // The trial so far: 60 suggested replies, 30 autopilot conversations, 9 in the playground.
    const events = [
      ...Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, feature: 'suggested_reply' })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `a${i}`, feature: 'autopilot' })),
      ...Array.from({ length: 9 }, (_, i) => ({ id: `p${i}`, feature: 'playground' })),
    ].map((e) => ({ id: e.id, account: 'trial', type: 'ai_conversation', timestamp: T0, data: { conversation: e.id, feature: e.feature } }));
    expect((await server.call('POST', '/v1/events/batch', { events })).body.accepted).toBe(99);
  });
  afterAll(() => server.stop());

  test('a support trial that used autopilot: Boost first, then Pro; Essentials lacks autopilot', async () => {
    const answer = (await server.call('GET', '/v1/accounts/trial/recommendations')).body;
    expect(answer).toMatchObject({ account: 'trial', template: 'support', integrations: ['zendesk', 'slack'], basis: { description: 'your usage so far (2026-03-01 – 2026-03-01)' } });
    expect(answer.recommendations).toEqual([
      {
        rank: 1,
        plan: 'boost',
        name: 'Boost',
        fits: true,
        madeFor: ['support', 'zendesk'],
        // 199 + (60 - 50) × 0.30 + 30 × 0.30 = 199 + 3 + 9 = 211.
        fee: '199',
        usage: '12',
        total: '211',
        reason: 'Made for support and zendesk; for your usage so far (2026-03-01 – 2026-03-01) it would have cost 211.00 EUR (199.00 EUR fee + 12.00 EUR usage beyond what it includes).',
      },
      // 399 + 30 × 0.30 = 408.
      expect.objectContaining({ rank: 2, plan: 'pro', fits: true, madeFor: [], total: '408' }),
      expect.objectContaining({ rank: 3, plan: 'essentials', fits: false, reason: 'Does not fit: it lacks autopilot, which you used.' }),
    ]);
  });

  test('a conversation counts once however many messages and features it has: the same 99 conversations as 258 events price the same', async () => {
    await server.call('POST', '/v1/accounts', { id: 'chatty', name: 'Chatty', plan: 'trial', metadata: { template: 'support' } });
    const event = (id: string, conversation: string, feature: string) => ({ id, account: 'chatty', type: 'ai_conversation', timestamp: T0, data: { conversation, feature } });
    const events = [
      // 60 conversations of three suggested replies each.
      ...Array.from({ length: 60 }, (_, i) => [0, 1, 2].map((m) => event(`s${i}-${m}`, `s${i}`, 'suggested_reply'))).flat(),
      // 30 that started with a suggested reply and went on with autopilot.
      ...Array.from({ length: 30 }, (_, i) => [event(`a${i}-0`, `a${i}`, 'suggested_reply'), event(`a${i}-1`, `a${i}`, 'autopilot')]).flat(),
      // 9 with two messages in the playground.
      ...Array.from({ length: 9 }, (_, i) => [0, 1].map((m) => event(`p${i}-${m}`, `p${i}`, 'playground'))).flat(),
    ];
    expect((await server.call('POST', '/v1/events/batch', { events })).body.accepted).toBe(258);
    const answer = (await server.call('GET', '/v1/accounts/chatty/recommendations')).body;
    // Boost: 199 + (60 - 50) × 0.30 + 30 × 0.30 = 211; Pro: 399 + 30 × 0.30 = 408.
    expect(answer.recommendations.map((r: { plan: string; usage: string; total: string }) => [r.plan, r.usage, r.total])).toEqual([
      ['boost', '12', '211'],
      ['pro', '9', '408'],
      ['essentials', expect.any(String), expect.any(String)],
    ]);
  });

  test('after a closed cycle the recommendation is priced on that cycle', async () => {
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'pro', anchor: '2026-03-01T00:00:00Z', metadata: { template: 'ecommerce' } });
    await server.call('POST', '/v1/accounts/shop/topups', { amount: '100', reference: 'start' });
    server.clock.set('2026-04-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/cycles/close');
    const answer = (await server.call('GET', '/v1/accounts/shop/recommendations')).body;
    expect(answer.basis.description).toBe('your last cycle (2026-03-01 – 2026-03-31)');
    // No usage: Pro is made for e-commerce and comes first; then the cheapest, Essentials.
    expect(answer.recommendations.map((r: { plan: string; total: string }) => [r.plan, r.total])).toEqual([
      ['pro', '399'],
      ['essentials', '99'],
      ['boost', '199'],
    ]);
  });

  test('an unknown account has no recommendations', async () => {
    expect((await server.call('GET', '/v1/accounts/nobody/recommendations')).status).toBe(404);
  });
});
