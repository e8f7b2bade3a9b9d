// Model 5 through the API: features per plan, included conversations, the trial's hard limit.
import { startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';
const conversation = (id: string, account: string, feature: string) => ({
  id, account, type: 'ai_conversation', timestamp: T0, data: { conversation: id, feature },
});

describe('conversations catalog over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'conversations', now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'ess', name: 'Essentials customer', plan: 'essentials' });
    await server.call('POST', '/v1/accounts', { id: 'trial', name: 'Trial customer', plan: 'trial' });
  });
  afterAll(async () => {
    await server.stop();
  });

  test('Essentials refuses autopilot, and authorize says no', async () => {
    const refused = await server.call('POST', '/v1/events', conversation('a1', 'ess', 'autopilot'));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'feature_not_in_plan', feature: 'autopilot', plan: 'essentials' });
    const authorize = await server.call('POST', '/v1/accounts/ess/authorize', { type: 'ai_conversation', data: { feature: 'autopilot' } });
    expect(authorize.body).toMatchObject({ allowed: false, reason: 'feature_not_in_plan' });
  });

  test('suggested replies inside the 20 included are allowed at a zero balance; the 21st needs a balance', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await server.call('POST', '/v1/accounts/ess/authorize', { type: 'ai_conversation', data: { feature: 'suggested_reply' } })).body.allowed).toBe(true);
      expect((await server.call('POST', '/v1/events', conversation(`s${i}`, 'ess', 'suggested_reply'))).body.cost).toBe('0');
    }
    const balance = (await server.call('GET', '/v1/accounts/ess/balance')).body;
    expect(balance.allowances).toEqual([
      { meter: 'suggested_reply_conversations', unit: 'conversation', period: 'month', included: '20', used: '20', remaining: '0' },
    ]);
    expect((await server.call('POST', '/v1/accounts/ess/authorize', { type: 'ai_conversation', data: { feature: 'suggested_reply' } })).body).toMatchObject({
      allowed: false,
      reason: 'insufficient_balance',
    });
    await server.call('POST', '/v1/accounts/ess/topups', { amount: '10.00', reference: 'stripe_pi_1' });
    const paid = await server.call('POST', '/v1/events', conversation('s20', 'ess', 'suggested_reply'));
    expect(paid.body.cost).toBe('0.3');
    expect((await server.call('GET', '/v1/accounts/ess/balance')).body.balance).toBe('9.7');
  });

  test('the trial refuses the 101st conversation with a clear reason', async () => {
    const events = Array.from({ length: 100 }, (_, i) => conversation(`t${i}`, 'trial', ['playground', 'autopilot', 'suggested_reply'][i % 3]!));
    const batch = await server.call('POST', '/v1/events/batch', { events });
    expect(batch.body).toMatchObject({ accepted: 100, rejected: 0 });
    const refused = await server.call('POST', '/v1/events', conversation('t100', 'trial', 'suggested_reply'));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'allowance_exhausted', meter: 'trial_conversations', included: '100' });
    expect((await server.call('POST', '/v1/accounts/trial/authorize', { type: 'ai_conversation', data: { feature: 'playground' } })).body).toMatchObject({
      allowed: false,
      reason: 'allowance_exhausted',
    });
  });
});
