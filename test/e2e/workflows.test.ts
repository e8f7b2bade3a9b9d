// The example workflows in a real n8n 2.41: imported and published with the n8n CLI, run against a
// real creditmeter server (minutes catalog, system clock) and a real SMTP receiver.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../server/src/catalog/loadCatalog';
import { openStore, startServer, type RunningServer } from '../../server/src/server';
import type { Database } from '../../server/src/store/Database';
import { systemClock } from '../../server/src/usecases/Context';
import { ensureN8n } from './support/n8nInstall';
import { type N8n, prepareN8n } from './support/n8nProcess';
import { type Mailbox, startMailbox } from './support/smtp';

const WORKFLOWS = join(__dirname, '..', '..', 'workflows');
const API_KEY = 'e2e-api-key-0123456789abcdef';

let creditmeter: RunningServer;
let db: Database;
// A second server on the credits preset (prepaid): auto-recharge applies to prepaid balances.
let prepaid: RunningServer;
let prepaidDb: Database;
let stripe: FakeStripe;
let n8n: N8n;
let mailbox: Mailbox;

interface FakeStripe {
  url: string;
  charges: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Stands in for Stripe's charge endpoint: a card of customer cus_declined is declined. */
async function startFakeStripe(): Promise<FakeStripe> {
  const charges: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      charges.push(body);
      const declined = body['customer'] === 'cus_declined';
      res.writeHead(declined ? 402 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(declined ? { error: { code: 'card_declined', message: 'Your card was declined.' } } : { id: `ch_test_${charges.length}`, object: 'charge', status: 'succeeded', ...body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    charges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The shipped workflows as the test imports them: n8n's Stripe node only talks to api.stripe.com,
 * so "Charge Card" becomes an HTTP Request with the same name and body against the fake Stripe;
 * the schedule becomes a webhook, so the test says when the 1st has come.
 */
/** The expression inside `={{ … }}`, to reuse a node parameter in another node's expression. */
const inner = (expression: string) => expression.replace(/^=\{\{\s*|\s*\}\}$/g, '');

function forTest(file: string): string {
  const workflow = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { nodes: any[] };
  for (const node of workflow.nodes) {
    if (node.type === 'n8n-nodes-base.stripe') {
      const p = node.parameters;
      node.type = 'n8n-nodes-base.httpRequest';
      node.typeVersion = 4.2;
      delete node.credentials;
      node.parameters = {
        method: 'POST',
        url: `${stripe.url}/v1/charges`,
        sendBody: true,
        specifyBody: 'json',
        jsonBody: `={{ JSON.stringify({ customer: ${inner(p.customerId)}, amount: ${inner(p.amount)}, currency: '${p.currency}', source: ${inner(p.source)} }) }}`,
        options: {},
      };
    }
    if (node.type === 'n8n-nodes-base.scheduleTrigger') {
      node.type = 'n8n-nodes-base.webhook';
      node.typeVersion = 2;
      node.webhookId = 'e2e-cost-report';
      node.parameters = { httpMethod: 'POST', path: 'e2e/cost-report', responseMode: 'onReceived', options: {} };
    }
    if (file === 'auto-recharge.json' && node.credentials?.creditMeterApi) node.credentials.creditMeterApi = { id: 'creditmeter-credits', name: 'CreditMeter Credits' };
  }
  const copy = join(mkdtempSync(join(tmpdir(), 'creditmeter-workflow-')), file);
  writeFileSync(copy, JSON.stringify(workflow));
  return copy;
}

async function callOn(server: RunningServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callOn(creditmeter, method, path, body);
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${n8n.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const bin = ensureN8n((line) => process.stderr.write(`${line}\n`));
  db = await openStore({});
  creditmeter = await startServer({ db, catalog: loadCatalog('minutes'), clock: systemClock, apiKey: API_KEY });
  prepaidDb = await openStore({});
  prepaid = await startServer({ db: prepaidDb, catalog: loadCatalog('credits'), clock: systemClock, apiKey: API_KEY });
  stripe = await startFakeStripe();
  mailbox = await startMailbox();
  n8n = await prepareN8n(bin);

  const scratch = mkdtempSync(join(tmpdir(), 'creditmeter-e2e-'));
  const credentials = [
    { id: 'creditmeter-api', name: 'CreditMeter API', type: 'creditMeterApi', data: { baseUrl: creditmeter.url, apiKey: API_KEY } },
    { id: 'creditmeter-credits', name: 'CreditMeter Credits', type: 'creditMeterApi', data: { baseUrl: prepaid.url, apiKey: API_KEY } },
    { id: 'stripe-api', name: 'Stripe', type: 'stripeApi', data: { secretKey: 'sk_test_unused' } },
    { id: 'creditmeter-smtp', name: 'SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: mailbox.port, secure: false, disableStartTls: true } },
  ];
  writeFileSync(join(scratch, 'credentials.json'), JSON.stringify(credentials));
  await n8n.cli('import:credentials', `--input=${join(scratch, 'credentials.json')}`);
  for (const file of ['usage-alert.json', 'assistant-end-of-call.json', 'auto-recharge.json', 'monthly-cost-report.json']) {
    await n8n.cli('import:workflow', `--input=${forTest(file)}`);
    const { id } = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { id: string };
    await n8n.cli('publish:workflow', `--id=${id}`);
  }
  await n8n.start();
}, 30 * 60_000);

afterAll(async () => {
  await n8n?.stop();
  await mailbox?.close();
  await stripe?.close();
  await prepaid?.close();
  await prepaidDb?.close();
  await creditmeter?.close();
  await db?.close();
});

test('usage alert: crossing 80% of the included minutes e-mails the account with used, included and remaining', async () => {
  // Published, the trigger subscribed itself to the server.
  const subscription = await eventually(async () => {
    const list = (await call('GET', '/v1/webhooks')).body.webhooks as { url: string; events: string[] }[];
    return list.find((w) => w.events.includes('usage.threshold_reached'));
  }, 'the trigger to subscribe');
  expect(subscription.url).toMatch(new RegExp(`^${n8n.url}/webhook/`));

  expect((await call('POST', '/v1/accounts', { id: 'clinic', name: 'Dental Clinic', plan: 'starter', email: 'owner@clinic.test' })).status).toBe(201);
  expect((await call('POST', '/v1/alert-rules', { account: 'clinic', kind: 'allowance_percent', meter: 'minutes', thresholds: [50, 80] })).status).toBe(201);
  // 300 minutes (60%: the 50% alert, which the workflow filters out), then 100 more (80%).
  const now = new Date().toISOString();
  for (const [id, seconds] of [['c-1', 300 * 60], ['c-2', 100 * 60]] as const) {
    const recorded = await call('POST', '/v1/events', { id, account: 'clinic', type: 'call', timestamp: now, data: { duration_seconds: seconds } });
    expect(recorded.status).toBe(201);
  }

  const mail = await mailbox.waitFor((m) => (m.subject ?? '').includes('80%'));
  expect(mail.subject).toBe('You have used 80% of your minutes');
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('owner@clinic.test');
  expect(mail.text).toContain('Hello Dental Clinic');
  expect(mail.text).toContain('Used: 400 minutes');
  expect(mail.text).toContain('Included: 500 minutes');
  expect(mail.text).toContain('Remaining: 100 minutes');
  // The 50% crossing ran the workflow too, but sent nothing.
  expect(mailbox.mails.filter((m) => (m.subject ?? '').includes('50%'))).toHaveLength(0);
});

test('assistant webhook: an end-of-call payload is charged once, however often it is posted', async () => {
  expect((await call('POST', '/v1/accounts', { id: 'bakery', name: 'Bakery', plan: 'payg' })).status).toBe(201);
  const endedAt = new Date().toISOString();
  const payload = {
    message: {
      type: 'end-of-call-report',
      call: { id: 'call-8f3a', type: 'inboundPhoneCall', metadata: { account: 'bakery' } },
      assistant: { name: 'order-taker' },
      durationSeconds: 90,
      endedAt,
      costBreakdown: { llmPromptTokens: 800, llmCompletionTokens: 700 },
    },
  };
  const post = () =>
    fetch(`${n8n.url}/webhook/assistant/end-of-call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const first = await post();
  expect(first.status).toBe(200);
  // payg: 0.15 EUR a minute, per second: 90 s = 0.225 EUR.
  expect(await first.json()).toMatchObject({ status: 'accepted', id: 'call-8f3a', cost: '0.225' });
  const again = await post();
  expect(await again.json()).toMatchObject({ status: 'duplicate', cost: '0.225' });

  const event = (await call('GET', '/v1/events/call-8f3a?account=bakery')).body;
  expect(event).toMatchObject({ type: 'call', data: { duration_seconds: 90, direction: 'inbound', input_tokens: 800, output_tokens: 700, assistant: 'order-taker' } });
  expect((await call('GET', '/v1/accounts/bakery/balance')).body.balance).toBe('-0.225');
});

test('auto-recharge: a low balance is charged on the card and topped up with the request reference, with a receipt; a declined card reaches the operator', async () => {
  await eventually(async () => {
    const list = (await callOn(prepaid, 'GET', '/v1/webhooks')).body.webhooks as { events: string[] }[];
    return list.find((w) => w.events.includes('recharge.requested'));
  }, 'the auto-recharge trigger to subscribe');

  const open = async (id: string, customer: string) => {
    expect((await callOn(prepaid, 'POST', '/v1/accounts', { id, name: `Account ${id}`, plan: 'payg', email: `${id}@customer.test`, metadata: { stripeCustomer: customer, stripeSource: 'card_visa' } })).status).toBe(201);
    expect((await callOn(prepaid, 'POST', `/v1/accounts/${id}/topups`, { amount: '2000', reference: 'opening' })).status).toBe(201);
    const settings = { enabled: true, threshold: '1000', amount: '100000', monthlyLimit: '500000', timeoutMinutes: 1 };
    expect((await callOn(prepaid, 'PUT', `/v1/accounts/${id}/auto-recharge`, settings)).status).toBe(200);
    // A 60-second call costs 95 credits (credits preset); 11 of them bring 2,000 below 1,000.
    const now = new Date().toISOString();
    for (let i = 0; i < 11; i += 1) {
      expect((await callOn(prepaid, 'POST', '/v1/events', { id: `${id}-call-${i}`, account: id, type: 'call', timestamp: now, data: { duration_seconds: 60 } })).status).toBe(201);
    }
  };

  await open('florist', 'cus_florist');
  const receipt = await mailbox.waitFor((m) => (m.subject ?? '').startsWith('Receipt'));
  expect(receipt.subject).toBe('Receipt: 100000 credits added to your account');
  expect(receipt.to && 'text' in receipt.to ? receipt.to.text : '').toBe('florist@customer.test');
  // 100,000 credits at 0.40 EUR per 1,000 credits: 40.00 EUR, sent to Stripe as 4,000 cents.
  expect(receipt.text).toContain('Charged: 40.00 EUR (payment ch_test_1)');
  expect(stripe.charges[0]).toEqual({ customer: 'cus_florist', amount: 4000, currency: 'eur', source: 'card_visa' });
  // 2,000 - 11 × 95 + 100,000, topped up once with the request's reference.
  expect((await callOn(prepaid, 'GET', '/v1/accounts/florist/balance')).body.balance).toBe('100955');
  const recharge = (await callOn(prepaid, 'GET', '/v1/accounts/florist/auto-recharge')).body;
  expect(recharge).toMatchObject({ openRequest: null, failuresInARow: 0 });

  await open('garage', 'cus_declined');
  const failure = await mailbox.waitFor((m) => (m.subject ?? '') === 'Auto-recharge failed for garage', 150_000);
  expect(failure.to && 'text' in failure.to ? failure.to.text : '').toBe('operator@example.com');
  expect(failure.text).toContain('of 100000 credits for account garage failed: no_topup_in_time');
  expect(failure.text).toContain('Failures in a row: 1');
  expect(stripe.charges.filter((c) => c['customer'] === 'cus_declined')).toHaveLength(1);
  expect((await callOn(prepaid, 'GET', '/v1/accounts/garage/balance')).body.balance).toBe('955');
}, 240_000);

test('monthly cost report: on the 1st every account with an e-mail gets its last cycle by channel, as a table and a CSV', async () => {
  // Anchored on the 1st two months back: the previous cycle is last month.
  const now = new Date();
  const anchor = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 10));
  expect((await call('POST', '/v1/accounts', { id: 'dentist', name: 'Dentist', plan: 'payg', email: 'dentist@customer.test', anchor: anchor.toISOString() })).status).toBe(201);
  // payg: 0.15 EUR a minute per second; calls to the US add 0.03 EUR a minute.
  const calls = [['d-1', 600, 'DE'], ['d-2', 120, 'US'], ['d-3', 30, 'DE']] as const;
  for (const [id, seconds, country] of calls) {
    const recorded = await call('POST', '/v1/events', { id, account: 'dentist', type: 'call', timestamp: lastMonth.toISOString(), data: { duration_seconds: seconds, destination_country: country } });
    expect(recorded.status).toBe(201);
  }

  const started = await fetch(`${n8n.url}/webhook/e2e/cost-report`, { method: 'POST' });
  expect(started.status).toBe(200);
  const mail = await mailbox.waitFor((m) => (m.to && 'text' in m.to ? m.to.text : '') === 'dentist@customer.test');
  // 12.5 minutes at 0.15 = 1.875, plus 2 US minutes at 0.03 = 0.06: 1.935 EUR in four charges.
  expect(mail.subject).toMatch(/^Your usage from \d{4}-\d{2}-01 to \d{4}-\d{2}-01: 1\.935 EUR$/);
  expect(mail.html).toContain('<td>Voice</td><td align="right">4</td><td align="right">1.935</td>');
  const csv = mail.attachments.find((a) => a.filename?.endsWith('.csv'));
  expect(csv?.filename).toMatch(/^costs-dentist-\d{4}-\d{2}-01-\d{4}-\d{2}-01\.csv$/);
  expect(csv?.content.toString('utf8')).toBe(
    'channel,service,unit,quantity,included,charges,amount\nvoice,call_minutes,second,750,0,3,1.875\nvoice,carrier_surcharge,second,120,0,1,0.06\n',
  );
});
