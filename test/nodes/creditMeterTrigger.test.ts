// The trigger node: it subscribes itself on activation and unsubscribes on deactivation through the
// server's webhook API, and starts the workflow only for requests signed with its secret.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_TYPES } from '../../nodes/CreditMeterTrigger/CreditMeterTrigger.node';
import { WEBHOOK_EVENT_TYPES } from '../../server/src/domain/webhooks/WebhookEvent';
import { startTestServer, type TestServer } from '../server/support/servers';
import { waitFor } from '../support/eventually';
import { triggerHarness } from './support/n8n';

interface Captured {
  headers: Record<string, string>;
  rawBody: Buffer;
}

let server: TestServer;
let listener: Server;
let baseUrl: string;
const captured: Captured[] = [];

beforeAll(async () => {
  server = await startTestServer('postgres', { catalog: 'credits' });
  await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg' });
  // Stands where n8n's webhook server would: keeps each request exactly as it arrived.
  listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured.push({ headers: req.headers as Record<string, string>, rawBody: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/webhook`;
});
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => listener.close(resolve));
});

async function waitForRequest(): Promise<Captured> {
  await waitFor(() => captured.length > 0, { message: 'a webhook to arrive' });
  return captured.shift()!;
}

function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

test('the trigger offers every event type of the webhook API', () => {
  expect(EVENT_TYPES.map((e) => e.value).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
});

test('activation subscribes, a signed delivery starts the workflow, forged, unsigned and stale ones get 401, deactivation unsubscribes', async () => {
  const credentials = { baseUrl: server.url, apiKey: server.apiKey };
  const trigger = triggerHarness(credentials, { events: ['topup.succeeded', 'service.resumed'] }, baseUrl);

  expect(await trigger.checkExists()).toBe(false);
  expect(await trigger.create()).toBe(true);
  const { webhookId, secret } = trigger.staticData()!;
  expect(secret).toMatch(/^whsec_/);
  const subscription = (await server.call('GET', `/v1/webhooks/${webhookId}`)).body;
  expect(subscription).toMatchObject({ url: trigger.webhookUrl(), events: ['topup.succeeded', 'service.resumed'], status: 'enabled' });
  expect(await trigger.checkExists()).toBe(true);

  // The server signs and delivers a real event; n8n hands the request to the node.
  await server.call('POST', '/v1/accounts/shop/topups', { amount: '250', reference: 'pay-1' });
  const delivered = await waitForRequest();
  const accepted = await trigger.receive(delivered);
  expect(accepted.status).toBe(200);
  const [[item]] = accepted.result.workflowData as { json: Record<string, unknown> }[][] as [[{ json: Record<string, unknown> }]];
  expect(item.json).toMatchObject({ id: delivered.headers['webhook-id'], data: { account: 'shop', amount: '250', balance: '250' } });
  expect(['topup.succeeded', 'service.resumed']).toContain(item.json['type']);
  // A redelivery (the same webhook-id: a lost answer, a retry from the server) starts nothing.
  expect(await trigger.receive(delivered)).toMatchObject({ status: 200, result: { webhookResponse: 'duplicate' } });
  expect((await trigger.receive(delivered)).result.workflowData).toBeUndefined();

  // Forged: the body was changed after signing.
  const forged = { ...delivered, rawBody: Buffer.from(delivered.rawBody.toString().replace('"250"', '"9999"')) };
  expect(await trigger.receive(forged)).toMatchObject({ status: 401, result: { noWebhookResponse: true } });
  // Unsigned.
  const { ['webhook-signature']: _dropped, ...unsignedHeaders } = delivered.headers;
  expect((await trigger.receive({ ...delivered, headers: unsignedHeaders })).status).toBe(401);
  // Stale: correctly signed, but six minutes old (a replay).
  const old = Math.floor(Date.now() / 1000) - 6 * 60;
  const body = delivered.rawBody.toString();
  const stale = { 'webhook-id': 'msg_old', 'webhook-timestamp': String(old), 'webhook-signature': sign(secret!, 'msg_old', old, body) };
  expect((await trigger.receive({ headers: stale, rawBody: delivered.rawBody })).status).toBe(401);
  // The same, fresh, is accepted: the check is the signature and the window, nothing else.
  const now = Math.floor(Date.now() / 1000);
  const fresh = { 'webhook-id': 'msg_new', 'webhook-timestamp': String(now), 'webhook-signature': sign(secret!, 'msg_new', now, body) };
  expect((await trigger.receive({ headers: fresh, rawBody: delivered.rawBody })).status).toBe(200);

  expect(await trigger.delete()).toBe(true);
  expect((await server.call('GET', `/v1/webhooks/${webhookId}`)).status).toBe(404);
  expect(await trigger.checkExists()).toBe(false);
  expect(trigger.staticData()).toEqual({});
});

test('with account IDs given, only those accounts\' events start the workflow', async () => {
  await server.call('POST', '/v1/accounts', { id: 'cafe', name: 'Cafe', plan: 'payg' });
  const trigger = triggerHarness({ baseUrl: server.url, apiKey: server.apiKey }, { events: ['topup.succeeded'], options: { accounts: ' cafe , bistro' } }, baseUrl);
  await trigger.create();
  // Deliveries to the earlier tests' subscriptions (signed with their secrets) are not this one's.
  captured.length = 0;
  await server.call('POST', '/v1/accounts/shop/topups', { amount: '5', reference: 'shop-filtered' });
  expect(await trigger.receive(await waitForRequest())).toMatchObject({ status: 200, result: { webhookResponse: 'ignored' } });
  await server.call('POST', '/v1/accounts/cafe/topups', { amount: '7', reference: 'cafe-kept' });
  const started = await trigger.receive(await waitForRequest());
  expect((started.result.workflowData as { json: { data: { account: string } } }[][])[0]![0]!.json.data.account).toBe('cafe');
  expect(await trigger.delete()).toBe(true);
});

test('Balance Adjusted starts the workflow with the adjustment: amount, reason, reference and the key that made it', async () => {
  await server.call('POST', '/v1/accounts', { id: 'kiosk', name: 'Kiosk', plan: 'payg' });
  const trigger = triggerHarness({ baseUrl: server.url, apiKey: server.apiKey }, { events: ['balance.adjusted'] }, baseUrl);
  await trigger.create();
  captured.length = 0;
  await server.call('POST', '/v1/accounts/kiosk/adjustments', { amount: '300', reason: 'Goodwill for the outage', reference: 'ticket-1' });
  const started = await trigger.receive(await waitForRequest());
  const [[item]] = started.result.workflowData as { json: Record<string, unknown> }[][] as [[{ json: Record<string, unknown> }]];
  expect(item.json).toMatchObject({
    type: 'balance.adjusted',
    data: {
      account: 'kiosk',
      balance: '300',
      status: 'active',
      adjustment: { amount: '300', reason: 'Goodwill for the outage', reference: 'ticket-1', expiresAt: null, keyId: 'admin' },
    },
  });
  expect(await trigger.delete()).toBe(true);
});

test('a subscription removed behind n8n\'s back is found missing and created again', async () => {
  const trigger = triggerHarness({ baseUrl: server.url, apiKey: server.apiKey }, { events: ['balance.low'] }, baseUrl);
  await trigger.create();
  const { webhookId } = trigger.staticData()!;
  await server.call('DELETE', `/v1/webhooks/${webhookId}`);
  expect(await trigger.checkExists()).toBe(false);
  await trigger.create();
  expect(trigger.staticData()!['webhookId']).not.toBe(webhookId);
  // Deleting what is gone already is not an error.
  await server.call('DELETE', `/v1/webhooks/${trigger.staticData()!['webhookId']}`);
  expect(await trigger.delete()).toBe(true);
});
