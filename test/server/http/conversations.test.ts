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

  test('choosing a paid plan ends the trial: Boost takes the refused conversation, from the prepaid balance', async () => {
    const changed = await server.call('POST', '/v1/accounts/trial/plan-change', { plan: 'boost' });
    expect(changed.body).toMatchObject({ kind: 'upgrade', to: { plan: 'boost' } });
    await server.call('POST', '/v1/accounts/trial/topups', { amount: '5.00', reference: 'card-1' });
    // Boost includes 50 suggested-reply conversations a month: this one costs nothing.
    const accepted = await server.call('POST', '/v1/events', conversation('t100', 'trial', 'suggested_reply'));
    expect(accepted.body).toMatchObject({ status: 'accepted', cost: '0' });
    // An autopilot conversation, which Boost allows, is 0.30 EUR from the balance.
    expect((await server.call('POST', '/v1/events', conversation('t101', 'trial', 'autopilot'))).body.cost).toBe('0.3');
    expect((await server.call('GET', '/v1/accounts/trial/balance')).body.balance).toBe('4.7');
  });
});

test('a top-up is carried over one more month, then it lapses (model 5)', async () => {
  const server = await startTestServer('pglite', { catalog: 'conversations', now: '2026-03-01T00:00:00Z' });
  try {
    await server.call('POST', '/v1/accounts', { id: 'carry', name: 'Carry', plan: 'essentials' });
    server.clock.set('2026-03-10T00:00:00Z');
    const topUp = await server.call('POST', '/v1/accounts/carry/topups', { amount: '10.00', reference: 'card-9' });
    // Bought in March's cycle: it lasts through April's and lapses when April's closes.
    expect(topUp.body.expiresAt).toBe('2026-05-01T00:00:00.000Z');
    server.clock.set('2026-04-01T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/carry/cycles/close')).body.closed[0].lapsed).toBe('0');
    expect((await server.call('GET', '/v1/accounts/carry/balance')).body.balance).toBe('10');
    server.clock.set('2026-05-01T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/carry/cycles/close')).body.closed[0].lapsed).toBe('10');
    expect((await server.call('GET', '/v1/accounts/carry/balance')).body.balance).toBe('0');
  } finally {
    await server.stop();
  }
});

test.each(['pglite', 'postgres'] as const)('on %s, a yearly account\'s top-up is carried over one more month too, not a year', async (store) => {
  const server = await startTestServer(store, { catalog: 'conversations', now: '2026-01-15T09:00:00Z' });
  try {
    await server.call('POST', '/v1/accounts', { id: 'yearly', name: 'Yearly', plan: 'boost', interval: 'year', anchor: '2026-01-15T09:00:00Z' });
    server.clock.set('2026-03-20T00:00:00Z');
    const topUp = await server.call('POST', '/v1/accounts/yearly/topups', { amount: '10.00', reference: 'card-1' });
    // The month (by the anchor day) of the purchase ends on 15 April; the one after, on 15 May.
    expect(topUp.body.expiresAt).toBe('2026-05-15T09:00:00.000Z');
    server.clock.set('2026-05-15T08:59:59Z');
    expect((await server.call('GET', '/v1/accounts/yearly/balance')).body).toMatchObject({ available: '10', grants: [expect.objectContaining({ usable: true })] });
    server.clock.set('2026-05-15T09:00:00Z');
    expect((await server.call('GET', '/v1/accounts/yearly/balance')).body).toMatchObject({ available: '0', grants: [expect.objectContaining({ usable: false })] });
  } finally {
    await server.stop();
  }
});

describe.each(['pglite', 'postgres'] as const)('a conversation\'s price does not depend on the order of its events, on %s', (store) => {
  let server: TestServer;
  const allowance = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/balance`)).body.allowances[0].used;
  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'conversations', now: T0 });
    for (const id of ['first-suggested', 'first-autopilot']) {
      await server.call('POST', '/v1/accounts', { id, name: id, plan: 'boost' });
      await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '5.00', reference: 'card-1' });
    }
    await server.call('POST', '/v1/accounts', { id: 'trying', name: 'Trying', plan: 'trial' });
  });
  afterAll(() => server.stop());

  const turn = (account: string, id: string, conversationId: string, feature: string) =>
    server.call('POST', '/v1/events', { id, account, type: 'ai_conversation', timestamp: T0, data: { conversation: conversationId, feature } });

  test('on Boost, an included suggested reply then autopilot: 0.30 EUR, and the included unit goes back', async () => {
    expect((await turn('first-suggested', 'e1', 'x', 'suggested_reply')).body.cost).toBe('0');
    expect(await allowance('first-suggested')).toBe('1');
    expect((await turn('first-suggested', 'e2', 'x', 'autopilot')).body.cost).toBe('0.3');
    expect(await allowance('first-suggested')).toBe('0');
    expect((await turn('first-suggested', 'e3', 'x', 'suggested_reply')).body.cost).toBe('0');
    expect((await server.call('GET', '/v1/accounts/first-suggested/balance')).body).toMatchObject({ balance: '4.7', allowances: [expect.objectContaining({ used: '0' })] });
  });

  test('the other order costs the same: autopilot then a suggested reply, 0.30 EUR once', async () => {
    expect((await turn('first-autopilot', 'e1', 'x', 'autopilot')).body.cost).toBe('0.3');
    expect((await turn('first-autopilot', 'e2', 'x', 'suggested_reply')).body.cost).toBe('0');
    expect((await server.call('GET', '/v1/accounts/first-autopilot/balance')).body).toMatchObject({ balance: '4.7', allowances: [expect.objectContaining({ used: '0' })] });
  });

  test('in one batch, the included unit taken and given back again leaves the conversation paid once', async () => {
    const batch = await server.call('POST', '/v1/events/batch', {
      events: ['suggested_reply', 'autopilot', 'playground', 'suggested_reply'].map((feature, i) => ({
        id: `b${i}`, account: 'first-suggested', type: 'ai_conversation', timestamp: T0, data: { conversation: 'y', feature },
      })),
    });
    expect(batch.body.results.map((r: { cost: string }) => r.cost)).toEqual(['0', '0.3', '0', '0']);
    expect(await allowance('first-suggested')).toBe('0');
    expect((await server.call('GET', '/v1/accounts/first-suggested/balance')).body.balance).toBe('4.4');
  });

  test('the trial counts one conversation once, whatever it uses', async () => {
    for (const [i, feature] of ['suggested_reply', 'autopilot', 'playground'].entries()) {
      expect((await turn('trying', `t${i}`, 'same', feature)).status).toBe(201);
    }
    expect((await server.call('GET', '/v1/accounts/trying/balance')).body.allowances).toEqual([expect.objectContaining({ meter: 'trial_conversations', used: '1', remaining: '99' })]);
  });

  test('authorize and reservations price a conversation as ingestion will: one charged already costs nothing more', async () => {
    await server.call('POST', '/v1/accounts', { id: 'paid-up', name: 'Paid up', plan: 'boost' });
    await server.call('POST', '/v1/accounts/paid-up/topups', { amount: '0.30', reference: 'card-1' });
    expect((await turn('paid-up', 'e1', 'z', 'autopilot')).body.cost).toBe('0.3');
    const check = (conversation: string) => server.call('POST', '/v1/accounts/paid-up/authorize', { type: 'ai_conversation', data: { conversation, feature: 'autopilot' } });
    // The balance is spent: conversation z goes on for free, a new one needs 0.30.
    expect((await check('z')).body).toMatchObject({ allowed: true, estimatedCost: '0', balance: '0' });
    expect((await check('w')).body).toMatchObject({ allowed: false, reason: 'insufficient_balance' });
    const held = await server.call('POST', '/v1/accounts/paid-up/reservations', { type: 'ai_conversation', estimate: { conversation: 'z', feature: 'autopilot' } });
    expect(held).toMatchObject({ status: 201, body: { held: '0' } });
  });

  test('a trial at 100 conversations still takes a playground message in one it counted; a new one is refused', async () => {
    const events = Array.from({ length: 99 }, (_, i) => ({ id: `fill${i}`, account: 'trying', type: 'ai_conversation', timestamp: T0, data: { conversation: `c${i}`, feature: 'suggested_reply' } }));
    expect((await server.call('POST', '/v1/events/batch', { events })).body).toMatchObject({ accepted: 99, rejected: 0 });
    const check = (conversation: string) => server.call('POST', '/v1/accounts/trying/authorize', { type: 'ai_conversation', data: { conversation, feature: 'playground' } });
    expect((await check('same')).body).toMatchObject({ allowed: true, estimatedCost: '0' });
    expect((await check('new')).body).toMatchObject({ allowed: false, reason: 'allowance_exhausted' });
  });
});
