// Signed webhooks end to end: subscriptions, the outbox, alerts and status changes, retries, 410.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { waitFor } from '../../support/eventually';
import { deliveriesSettled } from './outbox';
import { type Receiver, startReceiver } from './receiver';

const ALL_TYPES = ['usage.threshold_reached', 'balance.low', 'balance.depleted', 'service.paused', 'service.resumed', 'topup.succeeded'];
const MINUTE = 60;

describe.each(STORES)('webhooks on %s', (store) => {
  let server: TestServer;
  let receiver: Receiver;

  async function subscribe(events = ALL_TYPES): Promise<string> {
    const created = await server.call('POST', '/v1/webhooks', { url: receiver.url, events, description: 'test receiver' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    receiver.secret = created.body.secret;
    return created.body.id;
  }

  const call = (id: string, account: string, seconds: number) => ({
    id,
    account,
    type: 'call',
    timestamp: server.clock.now().toISOString(),
    data: { duration_seconds: seconds, direction: 'outbound' },
  });
  const chat = (id: string, account: string) => ({
    id,
    account,
    type: 'chat',
    timestamp: server.clock.now().toISOString(),
    data: { input_tokens: 1000, output_tokens: 0 },
  });

  afterEach(async () => {
    await server.stop();
    await receiver.close();
  });

  describe('with the minutes catalog', () => {
    beforeEach(async () => {
      server = await startTestServer(store, { catalog: 'minutes' });
      receiver = await startReceiver();
    });

    test('a batch that passes 50% and 80% of 500 included minutes fires each threshold once, signed; 100% fires on the next call', async () => {
      await subscribe();
      expect((await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter' })).status).toBe(201);
      const rule = await server.call('POST', '/v1/alert-rules', { account: 'acme', kind: 'allowance_percent', meter: 'minutes', thresholds: [50, 80, 100] });
      expect(rule.status).toBe(201);

      // Five calls of 90 minutes: 450 of 500 minutes, 90%.
      const batch = Array.from({ length: 5 }, (_, i) => call(`c${i}`, 'acme', 90 * MINUTE));
      expect((await server.call('POST', '/v1/events/batch', { events: batch })).body.accepted).toBe(5);
      const first = await receiver.waitFor((r) => r.length >= 2);
      await deliveriesSettled(server.db);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.forged).toBe(0);
      expect(first.map((m) => [m.type, m.data.threshold])).toEqual([
        ['usage.threshold_reached', '50'],
        ['usage.threshold_reached', '80'],
      ]);
      expect(first[1]!.data).toMatchObject({
        account: 'acme',
        rule: { id: rule.body.id, kind: 'allowance_percent' },
        meter: 'minutes',
        unit: 'minute',
        percent: '90',
        used: '450',
        included: '500',
        remaining: '50',
        links: { balance: '/v1/accounts/acme/balance' },
      });

      // 60 more minutes: 500 of 500 included (the other 10 are overage); another call fires nothing new.
      await server.call('POST', '/v1/events', call('c5', 'acme', 60 * MINUTE));
      await server.call('POST', '/v1/events', call('c6', 'acme', 60 * MINUTE));
      await receiver.waitFor((r) => r.length >= 3);
      await deliveriesSettled(server.db);
      expect(receiver.received.map((m) => m.data.threshold)).toEqual(['50', '80', '100']);
      expect(receiver.received[2]!.data).toMatchObject({ percent: '100', used: '500', remaining: '0' });
    });

    test('forty concurrent calls crossing 80% fire the threshold exactly once', async () => {
      await subscribe(['usage.threshold_reached']);
      await server.call('POST', '/v1/accounts', { id: 'busy', name: 'Busy', plan: 'starter' });
      await server.call('POST', '/v1/alert-rules', { kind: 'allowance_percent', meter: 'minutes', thresholds: [80] });
      // 40 calls of 12 minutes: 480 minutes, 96%; the 34th call crosses 80%.
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => server.call('POST', '/v1/events', call(`b${i}`, 'busy', 12 * MINUTE))));
      expect(responses.every((r) => r.status === 201)).toBe(true);
      await receiver.waitFor((r) => r.length >= 1);
      await deliveriesSettled(server.db);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.data).toMatchObject({ account: 'busy', threshold: '80' });
    });

    test('a new cycle re-arms allowance thresholds', async () => {
      await subscribe(['usage.threshold_reached']);
      await server.call('POST', '/v1/accounts', { id: 'monthly', name: 'Monthly', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
      await server.call('POST', '/v1/alert-rules', { account: 'monthly', kind: 'allowance_percent', meter: 'minutes', thresholds: [80] });
      await server.call('POST', '/v1/events', call('m1', 'monthly', 450 * MINUTE));
      await receiver.waitFor((r) => r.length >= 1);
      server.clock.set('2026-04-02T00:00:00Z');
      await server.call('POST', '/v1/events', call('m2', 'monthly', 450 * MINUTE));
      const received = await receiver.waitFor((r) => r.length >= 2);
      expect(received.map((m) => m.data.period)).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    });
  });

  describe('with the credits catalog', () => {
    beforeEach(async () => {
      server = await startTestServer(store, { catalog: 'credits' });
      receiver = await startReceiver();
    });

    test('balance low fires once per crossing; depleting pauses, a top-up resumes and re-arms', async () => {
      await subscribe();
      await server.call('POST', '/v1/accounts', { id: 'pre', name: 'Prepaid', plan: 'payg' });
      await server.call('POST', '/v1/alert-rules', { account: 'pre', kind: 'balance_below', thresholds: ['50'] });
      expect((await server.call('POST', '/v1/accounts/pre/topups', { amount: '100', reference: 'pay-1' })).status).toBe(201);
      await receiver.waitFor((r) => r.length >= 2);

      // A new prepaid account has nothing to spend: it opens paused and the top-up resumes it.
      // Then 40 credits each: 100 -> 60 -> 20 (low) -> -20 (depleted, paused).
      for (const id of ['e1', 'e2', 'e3']) expect((await server.call('POST', '/v1/events', chat(id, 'pre'))).status).toBe(201);
      await receiver.waitFor((r) => r.length >= 5);
      expect((await server.call('GET', '/v1/accounts/pre')).body.status).toBe('paused');
      // 100 more: -20 -> 80, resumed; then 80 -> 40 falls below 50 again.
      await server.call('POST', '/v1/accounts/pre/topups', { amount: '100', reference: 'pay-2' });
      await server.call('POST', '/v1/events', chat('e4', 'pre'));
      const received = await receiver.waitFor((r) => r.length >= 8);
      await deliveriesSettled(server.db);
      expect(received.map((m) => [m.type, m.data.balance])).toEqual([
        ['topup.succeeded', '100'],
        ['service.resumed', '100'],
        ['balance.low', '20'],
        ['service.paused', '-20'],
        ['balance.depleted', '-20'],
        ['topup.succeeded', '80'],
        ['service.resumed', '80'],
        ['balance.low', '40'],
      ]);
    });
    test('a change that rolls back sends nothing: its outbox rows roll back with it', async () => {
      await subscribe();
      await server.call('POST', '/v1/accounts', { id: 'pre', name: 'Prepaid', plan: 'payg' });
      // The store refuses one top-up after the outbox rows were written in the same statement.
      await server.db.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.reference = 'boom' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
      await server.db.query('CREATE TRIGGER refuse_boom BEFORE INSERT ON topups FOR EACH ROW EXECUTE FUNCTION refuse_boom()');
      expect((await server.call('POST', '/v1/accounts/pre/topups', { amount: '100', reference: 'boom' })).status).toBe(500);
      expect((await server.call('POST', '/v1/accounts/pre/topups', { amount: '7', reference: 'fine' })).status).toBe(201);
      const received = await receiver.waitFor((r) => r.length >= 2);
      await deliveriesSettled(server.db);
      expect(received.map((m) => [m.type, m.data.balance])).toEqual([
        ['topup.succeeded', '7'],
        ['service.resumed', '7'],
      ]);
      const rows = await server.db.query<{ count: string }>(`SELECT count(*)::text AS count FROM outbox_messages WHERE data->>'reference' = 'boom'`);
      expect(rows).toEqual([{ count: '0' }]);
    });
  });

  describe('spend rules', () => {
    beforeEach(async () => {
      server = await startTestServer(store, { catalog: 'credits' });
      receiver = await startReceiver();
    });

    test('spend in the cycle passing 100 credits fires once, with the spend so far', async () => {
      await subscribe(['usage.threshold_reached']);
      await server.call('POST', '/v1/accounts', { id: 'spender', name: 'Spender', plan: 'payg' });
      await server.call('POST', '/v1/accounts/spender/topups', { amount: '1000', reference: 'pay-1' });
      await server.call('POST', '/v1/alert-rules', { account: 'spender', kind: 'cycle_spend_above', thresholds: ['100'] });
      // 40 credits each: 40, 80, 120 (above 100), 160.
      for (const id of ['s1', 's2', 's3', 's4']) expect((await server.call('POST', '/v1/events', chat(id, 'spender'))).status).toBe(201);
      await receiver.waitFor((r) => r.length >= 1);
      await deliveriesSettled(server.db);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.data).toMatchObject({ rule: { kind: 'cycle_spend_above' }, threshold: '100', spend: '120' });
    });

    test("a number's rent is spent in its cycle: the first month's rent and the next cycle's each pass the rule", async () => {
      await subscribe(['usage.threshold_reached']);
      await server.call('POST', '/v1/accounts', { id: 'renter', name: 'Renter', plan: 'payg' });
      await server.call('POST', '/v1/accounts/renter/topups', { amount: '200000', reference: 'pay-1' });
      await server.call('POST', '/v1/alert-rules', { account: 'renter', kind: 'cycle_spend_above', thresholds: ['50000'] });
      // A mobile number rents for 60,000 credits a month; rented at the anchor, it pays the whole first month.
      const rented = await server.call('POST', '/v1/accounts/renter/phone-numbers', { number: '+4915100000009', type: 'mobile', country: 'DE' });
      expect(rented.body.firstCharge.amount).toBe('60000');
      await receiver.waitFor((r) => r.length >= 1);
      server.clock.set('2026-04-01T00:00:01Z');
      expect((await server.call('POST', '/v1/accounts/renter/cycles/close')).body.closed[0].rentsCharged).toBe('60000');
      const received = await receiver.waitFor((r) => r.length >= 2);
      await deliveriesSettled(server.db);
      expect(receiver.received.map((m) => [m.data.rule.kind, m.data.threshold, m.data.spend])).toEqual([
        ['cycle_spend_above', '50000', '60000'],
        ['cycle_spend_above', '50000', '60000'],
      ]);
      expect(received).toHaveLength(2);
    });
  });

  describe('delivery', () => {
    beforeEach(async () => {
      server = await startTestServer(store, { catalog: 'credits' });
      receiver = await startReceiver();
    });

    async function topUpEvent(reference: string): Promise<void> {
      expect((await server.call('POST', '/v1/accounts/acct/topups', { amount: '10', reference })).status).toBe(201);
    }

    test('a receiver that fails twice gets the event on the third attempt, 5 s and then a minute later (within a fifth)', async () => {
      const endpoint = await subscribe(['topup.succeeded']);
      await server.call('POST', '/v1/accounts', { id: 'acct', name: 'Acct', plan: 'payg' });
      receiver.respond = (n) => (n <= 2 ? 503 : 200);
      await topUpEvent('r1');
      await waitForDelivery(endpoint, (d) => d.attempts === 1 && d.status === 'pending' && d.lastStatusCode === 503);

      let [delivery] = (await server.call('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.deliveries;
      const wait = Date.parse(delivery.nextAttemptAt) - server.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(4000);
      expect(wait).toBeLessThanOrEqual(6000);
      await server.dispatcher.wake();
      expect(receiver.requests).toBe(1);

      server.clock.advance(6000);
      await server.dispatcher.wake();
      [delivery] = (await server.call('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.deliveries;
      expect(delivery).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 503 });
      server.clock.advance(72_000);
      await server.dispatcher.wake();

      [delivery] = (await server.call('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.deliveries;
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200, message: { type: 'topup.succeeded', account: 'acct' } });
      expect(delivery.history.map((h: { statusCode: number }) => h.statusCode)).toEqual([503, 503, 200]);
      expect(receiver.received.map((m) => m.type)).toEqual(['topup.succeeded']);
    });

    test('a receiver answering 410 Gone disables its endpoint; a finished delivery retried by hand is sent again, a pending one is not', async () => {
      const endpoint = await subscribe(['topup.succeeded']);
      await server.call('POST', '/v1/accounts', { id: 'acct', name: 'Acct', plan: 'payg' });
      receiver.respond = () => 410;
      await topUpEvent('r1');
      await waitForDelivery(endpoint, (d) => d.status === 'failed');
      expect((await server.call('GET', `/v1/webhooks/${endpoint}`)).body).toMatchObject({ status: 'disabled', disabledReason: 'gone (HTTP 410)' });
      await topUpEvent('r2');
      expect((await server.call('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.deliveries).toHaveLength(1);

      const other = await subscribe(['topup.succeeded']);
      receiver.respond = (n) => (n === 2 ? 500 : 200);
      await topUpEvent('r3');
      server.clock.advance(1);
      const failed = await waitForDelivery(other, (d) => d.attempts === 1 && d.status === 'pending' && d.lastStatusCode === 500);
      // Run out the schedule: every later attempt succeeds, so make the first one final by hand.
      expect((await server.call('POST', `/v1/webhooks/${other}/deliveries/${failed.id}/retry`)).body.error.code).toBe('delivery_pending');
      server.clock.advance(10_000);
      await server.dispatcher.wake();
      const done = await waitForDelivery(other, (d) => d.status === 'succeeded');
      const retried = await server.call('POST', `/v1/webhooks/${other}/deliveries/${done.id}/retry`);
      expect(retried.status).toBe(202);
      await waitForDelivery(other, (d) => d.status === 'succeeded' && d.attempts === 3);
      expect(receiver.received.filter((m) => m.type === 'topup.succeeded')).toHaveLength(1);
      expect(receiver.requests).toBe(4);
      expect((await server.call('POST', `/v1/webhooks/${other}/deliveries/dlv_nope/retry`)).status).toBe(404);
    });

    test('a deleted subscription gets nothing more and is gone from the list', async () => {
      const endpoint = await subscribe(['topup.succeeded']);
      expect((await server.call('GET', '/v1/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).toEqual([endpoint]);
      expect((await server.call('DELETE', `/v1/webhooks/${endpoint}`)).status).toBe(204);
      expect((await server.call('GET', `/v1/webhooks/${endpoint}`)).status).toBe(404);
      expect((await server.call('DELETE', `/v1/webhooks/${endpoint}`)).status).toBe(404);
      await server.call('POST', '/v1/accounts', { id: 'acct', name: 'Acct', plan: 'payg' });
      await topUpEvent('r1');
      // The top-up was made and sent its message, but no delivery was made for the deleted endpoint.
      const outbox = await server.db.query(`SELECT id FROM outbox_messages WHERE type = 'topup.succeeded' AND data->>'reference' = 'r1'`);
      expect(outbox).toHaveLength(1);
      expect(await server.db.query('SELECT id FROM webhook_deliveries WHERE endpoint_id = $1', [endpoint])).toEqual([]);
      await deliveriesSettled(server.db);
      expect(receiver.requests).toBe(0);
      expect((await server.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
    });

    test('bad subscriptions and rules are refused naming the field, and nothing is stored', async () => {
      const bad = async (path: string, body: unknown, field: string) => {
        const response = await server.call('POST', path, body);
        expect(response.status).toBe(422);
        expect(response.body.error.field).toBe(field);
      };
      await bad('/v1/webhooks', { url: 'ftp://example.com', events: ['topup.succeeded'] }, 'url');
      await bad('/v1/webhooks', { url: 'not a url', events: ['topup.succeeded'] }, 'url');
      await bad('/v1/webhooks', { url: receiver.url, events: [] }, 'events');
      await bad('/v1/webhooks', { url: receiver.url, events: ['topup.succeeded', 'coffee.brewed'] }, 'events[1]');
      await bad('/v1/webhooks', { url: receiver.url, events: ['topup.succeeded'], secret: 'mine' }, 'secret');
      await bad('/v1/alert-rules', { kind: 'allowance_percent', meter: 'minutes', thresholds: [] }, 'thresholds');
      await bad('/v1/alert-rules', { kind: 'allowance_percent', meter: 'minutes', thresholds: [-5] }, 'thresholds[0]');
      await bad('/v1/alert-rules', { kind: 'balance_below', thresholds: [50] }, 'thresholds[0]');
      await bad('/v1/alert-rules', { kind: 'balance_too_high', thresholds: ['50'] }, 'kind');
      // The credits catalog has no included minutes.
      await bad('/v1/alert-rules', { kind: 'allowance_percent', meter: 'minutes', thresholds: [80] }, 'meter');
      expect((await server.call('POST', '/v1/alert-rules', { account: 'ghost', kind: 'balance_below', thresholds: ['5'] })).status).toBe(404);
      expect((await server.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
      expect((await server.call('GET', '/v1/alert-rules')).body.rules).toEqual([]);
    });

    async function waitForDelivery(endpoint: string, predicate: (d: any) => boolean): Promise<any> {
      return waitFor(async () => (await server.call('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.deliveries[0], {
        until: (delivery) => delivery !== undefined && predicate(delivery),
        message: `the newest delivery to ${endpoint} to match ${predicate}`,
      });
    }
  });
});
