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
import { serverCall } from './support/serverCall';
import { type Mailbox, startMailbox } from './support/smtp';

const WORKFLOWS = join(__dirname, '..', '..', 'workflows');
const API_KEY = 'e2e-api-key-0123456789abcdef';
/** The secret the assistant platform sends with each end-of-call report (Vapi's server URL secret). */
const ASSISTANT_SECRET = 'e2e-assistant-secret';

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
  /** The payment intents created, with the idempotency key each came with. */
  charges: Record<string, unknown>[];
  /** The Checkout Sessions created, by id, with the form each was created with. */
  sessions: Map<string, CheckoutSession>;
  /** Requests answered from an earlier one with the same Idempotency-Key, as Stripe does. */
  replays: number;
  close(): Promise<void>;
}

interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  url: string;
  payment_status: 'unpaid' | 'paid';
  client_reference_id: string | undefined;
  metadata: Record<string, string>;
  form: Record<string, string>;
}

/**
 * Stands in for Stripe's PaymentIntents and Checkout Sessions: a card of customer cus_declined is
 * declined; a session reads unpaid until the test pays it (`payment_status`); a POST with an
 * Idempotency-Key seen before gets the first answer again and creates nothing.
 */
async function startFakeStripe(): Promise<FakeStripe> {
  const charges: Record<string, unknown>[] = [];
  const sessions = new Map<string, CheckoutSession>();
  const answered = new Map<string, { status: number; body: string }>();
  const fake = { replays: 0 };
  const paymentIntent = (form: Record<string, string>, key: string | undefined) => {
    const intent = { customer: form['customer'], amount: Number(form['amount']), currency: form['currency'], payment_method: form['payment_method'], idempotencyKey: key ?? null };
    charges.push(intent);
    const declined = form['customer'] === 'cus_declined';
    return {
      status: declined ? 402 : 200,
      body: declined
        ? { error: { code: 'card_declined', message: 'Your card was declined.' } }
        : { id: `pi_test_${charges.length}`, object: 'payment_intent', status: 'succeeded', amount: intent.amount, currency: intent.currency, customer: intent.customer },
    };
  };
  const checkoutSession = (form: Record<string, string>) => {
    const id = `cs_test_${sessions.size + 1}`;
    const metadata = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice('metadata['.length, -1), v]));
    const session: CheckoutSession = { id, object: 'checkout.session', url: `https://checkout.stripe.test/c/pay/${id}`, payment_status: 'unpaid', client_reference_id: form['client_reference_id'], metadata, form };
    sessions.set(id, session);
    return { status: 200, body: session };
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://stripe.test').pathname;
      if (req.method === 'GET') {
        const session = sessions.get(decodeURIComponent(path.replace('/v1/checkout/sessions/', '')));
        const answer = session ? { status: 200, body: session } : { status: 404, body: { error: { type: 'invalid_request_error', message: 'No such checkout.session' } } };
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        return;
      }
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
      const earlier = key ? answered.get(key) : undefined;
      if (earlier) {
        fake.replays += 1;
        res.writeHead(earlier.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' }).end(earlier.body);
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(raw));
      const answer = path === '/v1/checkout/sessions' ? checkoutSession(form) : paymentIntent(form, key);
      const body = JSON.stringify(answer.body);
      if (key) answered.set(key, { status: answer.status, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    charges,
    sessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
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
    // Stripe's API answers at api.stripe.com alone: the test's fake stands there.
    if (node.type === 'n8n-nodes-base.httpRequest' && String(node.parameters.url).includes('https://api.stripe.com')) {
      node.parameters.url = String(node.parameters.url).replace('https://api.stripe.com', stripe.url);
    }
    if (node.type === 'n8n-nodes-base.scheduleTrigger') {
      node.type = 'n8n-nodes-base.webhook';
      node.typeVersion = 2;
      node.webhookId = 'e2e-cost-report';
      node.parameters = { httpMethod: 'POST', path: 'e2e/cost-report', responseMode: 'onReceived', options: {} };
    }
    // Top-ups are for prepaid balances: these two run against the credits preset's server.
    if (['auto-recharge.json', 'top-up-checkout.json'].includes(file) && node.credentials?.creditMeterApi) node.credentials.creditMeterApi = { id: 'creditmeter-credits', name: 'CreditMeter Credits' };
  }
  const copy = join(mkdtempSync(join(tmpdir(), 'creditmeter-workflow-')), file);
  writeFileSync(copy, JSON.stringify(workflow));
  return copy;
}

/** A workflow of the test's own: a webhook hands its body's events to Record Batch (node version 2). */
const RECORD_BATCH = {
  id: 'e2eRecordBatch01',
  name: 'e2e: record a batch',
  active: false,
  settings: { executionOrder: 'v1' },
  pinData: {},
  nodes: [
    {
      id: '7d7c3f53-9a55-4d0e-9b51-6d2f5b0f0a01',
      name: 'Batch Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2.1,
      position: [0, 0],
      webhookId: 'e2e-record-batch',
      parameters: { httpMethod: 'POST', path: 'e2e/record-batch', responseMode: 'lastNode', options: {} },
    },
    {
      id: '7d7c3f53-9a55-4d0e-9b51-6d2f5b0f0a02',
      name: 'Record Batch',
      type: 'n8n-nodes-creditmeter.creditMeter',
      typeVersion: 2,
      position: [220, 0],
      parameters: { resource: 'usage', operation: 'recordBatch', events: '={{ JSON.stringify($json.body.events) }}', batchOutput: 'perEvent' },
      credentials: { creditMeterApi: { id: 'creditmeter-api', name: 'CreditMeter API' } },
    },
  ],
  connections: { 'Batch Webhook': { main: [[{ node: 'Record Batch', type: 'main', index: 0 }]] } },
};

/**
 * A workflow of the test's own: a webhook's calls, one item each, recorded by Record Event (node
 * version 3) with no Event ID, so that the ID is derived; the execution answers at once.
 */
const RECORD_CALLS = {
  id: 'e2eRecordCalls01',
  name: 'e2e: record calls',
  active: false,
  settings: { executionOrder: 'v1' },
  pinData: {},
  nodes: [
    {
      id: '0b4f6f1e-52a4-4d7e-8a51-3c1f3f0c0b01',
      name: 'Calls Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2.1,
      position: [0, 0],
      webhookId: 'e2e-record-calls',
      parameters: { httpMethod: 'POST', path: 'e2e/record-calls', responseMode: 'onReceived', options: {} },
    },
    {
      id: '0b4f6f1e-52a4-4d7e-8a51-3c1f3f0c0b02',
      name: 'One Item per Call',
      type: 'n8n-nodes-base.splitOut',
      typeVersion: 1,
      position: [220, 0],
      parameters: { fieldToSplitOut: 'body.calls', options: {} },
    },
    {
      id: '0b4f6f1e-52a4-4d7e-8a51-3c1f3f0c0b03',
      name: 'Record Call',
      type: 'n8n-nodes-creditmeter.creditMeter',
      typeVersion: 3,
      position: [440, 0],
      parameters: {
        resource: 'usage',
        operation: 'record',
        accountId: { __rl: true, mode: 'id', value: '={{ $json.account }}' },
        type: 'call',
        durationSeconds: '={{ $json.seconds }}',
      },
      credentials: { creditMeterApi: { id: 'creditmeter-api', name: 'CreditMeter API' } },
    },
  ],
  connections: {
    'Calls Webhook': { main: [[{ node: 'One Item per Call', type: 'main', index: 0 }]] },
    'One Item per Call': { main: [[{ node: 'Record Call', type: 'main', index: 0 }]] },
  },
};

interface Execution {
  id: string;
  status: string;
  retryOf?: string | null;
}

/** The executions n8n keeps of a workflow, newest first, read as its editor reads them. */
async function executionsOf(workflowId: string): Promise<Execution[]> {
  const answer = await n8n.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
  if (answer.status !== 200) throw new Error(`n8n listed no executions (${answer.status}): ${JSON.stringify(answer.body)}`);
  return answer.body.data.results as Execution[];
}

function callOn(server: RunningServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return serverCall(server.url, API_KEY, method, path, body);
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
    { id: 'assistant-platform-secret', name: 'Assistant platform secret', type: 'httpHeaderAuth', data: { name: 'X-Vapi-Secret', value: ASSISTANT_SECRET } },
    { id: 'creditmeter-smtp', name: 'SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: mailbox.port, secure: false, disableStartTls: true } },
  ];
  writeFileSync(join(scratch, 'credentials.json'), JSON.stringify(credentials));
  await n8n.cli('import:credentials', `--input=${join(scratch, 'credentials.json')}`);
  for (const file of ['usage-alert.json', 'assistant-end-of-call.json', 'auto-recharge.json', 'top-up-checkout.json', 'monthly-cost-report.json']) {
    await n8n.cli('import:workflow', `--input=${forTest(file)}`);
    const { id } = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { id: string };
    await n8n.cli('publish:workflow', `--id=${id}`);
  }
  for (const workflow of [RECORD_BATCH, RECORD_CALLS]) {
    writeFileSync(join(scratch, `${workflow.id}.json`), JSON.stringify(workflow));
    await n8n.cli('import:workflow', `--input=${join(scratch, `${workflow.id}.json`)}`);
    await n8n.cli('publish:workflow', `--id=${workflow.id}`);
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
  const post = (secret: string | null = ASSISTANT_SECRET) =>
    fetch(`${n8n.url}/webhook/assistant/end-of-call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-vapi-secret': secret }) },
      body: JSON.stringify(payload),
    });
  // Whoever learns the URL cannot charge: without the platform's secret, or with another, n8n
  // refuses the call (header authentication answers 403) and nothing is recorded.
  expect((await post(null)).status).toBe(403);
  expect((await post('guessed')).status).toBe(403);
  expect((await call('GET', '/v1/events/call-8f3a?account=bakery')).status).toBe(404);
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

test('Record Batch in n8n: one bad event fails the execution, the good ones are recorded; a clean batch answers per event', async () => {
  expect((await call('POST', '/v1/accounts', { id: 'kiosk', name: 'Kiosk', plan: 'payg' })).status).toBe(201);
  const at = new Date().toISOString();
  const good = { id: 'kiosk-1', account: 'kiosk', type: 'call', timestamp: at, data: { duration_seconds: 60 } };
  const bad = { id: 'kiosk-2', account: 'kiosk', type: 'call', timestamp: at, data: { duration_seconds: -1 } };
  const post = (events: unknown[]) =>
    fetch(`${n8n.url}/webhook/e2e/record-batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
  // The item fails, so the execution does (n8n answers the webhook 500): never a silent success.
  const failed = await post([good, bad]);
  expect(failed.status).toBe(500);
  expect((await call('GET', '/v1/events/kiosk-1?account=kiosk')).status).toBe(200);
  expect((await call('GET', '/v1/events/kiosk-2?account=kiosk')).status).toBe(404);
  // Mended and sent again: the good one is a duplicate, the other is recorded, one item each (the
  // webhook answers with the first: the duplicate, at its first cost; payg: 0.15 EUR a minute).
  const mended = await post([good, { ...bad, data: { duration_seconds: 30 } }]);
  expect(mended.status).toBe(200);
  expect(await mended.json()).toMatchObject({ index: 0, status: 'duplicate', cost: '0.15' });
  expect((await call('GET', '/v1/events/kiosk-2?account=kiosk')).body).toMatchObject({ cost: '0.075' });
  expect((await call('GET', '/v1/accounts/kiosk/balance')).body.balance).toBe('-0.225');
});

test('a retried execution charges once: Record Event without an Event ID, whose first run failed on a later item', async () => {
  expect((await call('POST', '/v1/accounts', { id: 'cafe', name: 'Cafe', plan: 'payg' })).status).toBe(201);
  const calls = [{ account: 'cafe', seconds: 60 }, { account: 'cafe-annex', seconds: 30 }];
  const posted = await fetch(`${n8n.url}/webhook/e2e/record-calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ calls }) });
  expect(posted.status).toBe(200);
  // The second call's account does not exist yet: the node fails after the first was charged.
  const failed = await eventually(async () => (await executionsOf(RECORD_CALLS.id)).find((e) => e.status === 'error'), 'the execution to fail');
  // payg: 0.15 EUR a minute, per second.
  expect((await call('GET', '/v1/accounts/cafe/balance')).body.balance).toBe('-0.15');

  expect((await call('POST', '/v1/accounts', { id: 'cafe-annex', name: 'Cafe Annex', plan: 'payg' })).status).toBe(201);
  // "Retry execution" in n8n: a new execution that runs the failed node again on the same items.
  const retried = await n8n.rest('POST', `/executions/${failed.id}/retry`, { loadWorkflow: false });
  expect(retried.status).toBe(200);
  const retry = await eventually(
    async () => (await executionsOf(RECORD_CALLS.id)).find((e) => e.retryOf === failed.id && !['new', 'running', 'waiting'].includes(e.status)),
    'the retry to finish',
  );
  expect(retry.status).toBe('success');
  // The first call, sent again under its derived ID, is a duplicate; the second is charged now.
  expect((await call('GET', '/v1/accounts/cafe/balance')).body.balance).toBe('-0.15');
  expect((await call('GET', '/v1/accounts/cafe-annex/balance')).body.balance).toBe('-0.075');
  const ledger = (await call('GET', '/v1/accounts/cafe/ledger')).body.entries as { kind: string }[];
  expect(ledger.filter((e) => e.kind === 'usage')).toHaveLength(1);
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
  // 100,000 credits at 0.40 EUR per 1,000 credits: 40.00 EUR net, 7.60 VAT (19%), 47.60 EUR charged,
  // sent to Stripe as 4,760 cents; the top-up carries the net paid, so it is invoiced.
  expect(receipt.text).toContain('Charged: 47.60 EUR, VAT included (payment pi_test_1)');
  expect(receipt.text).toMatch(/Invoice: CM-\d{4}-\d{6}/);
  const [requested] = (await callOn(prepaid, 'GET', '/v1/accounts/florist/ledger')).body.entries.filter((e: { kind: string }) => e.kind === 'topup').slice(-1);
  // The card is charged with the recharge request's reference as Stripe's idempotency key.
  expect(stripe.charges[0]).toEqual({ customer: 'cus_florist', amount: 4760, currency: 'eur', payment_method: 'card_visa', idempotencyKey: requested.reference });
  const invoices = (await callOn(prepaid, 'GET', '/v1/accounts/florist/invoices')).body.invoices;
  expect(invoices).toEqual([expect.objectContaining({ kind: 'topup', net: '40.00', tax: '7.60', gross: '47.60', status: 'paid' })]);
  // 2,000 - 11 × 95 + 100,000, topped up once with the request's reference.
  expect((await callOn(prepaid, 'GET', '/v1/accounts/florist/balance')).body.balance).toBe('100955');
  const recharge = (await callOn(prepaid, 'GET', '/v1/accounts/florist/auto-recharge')).body;
  expect(recharge).toMatchObject({ openRequest: null, failuresInARow: 0 });

  // The server delivers recharge.requested again (as after a lost answer): the trigger knows its
  // webhook-id and starts nothing, so the card is not charged twice.
  const [endpoint] = ((await callOn(prepaid, 'GET', '/v1/webhooks')).body.webhooks as { id: string; events: string[] }[]).filter((w) => w.events.includes('recharge.requested'));
  const deliveries = (await callOn(prepaid, 'GET', `/v1/webhooks/${endpoint!.id}/deliveries?limit=100`)).body.deliveries as { id: string; message: { type: string }; status: string; attempts: number }[];
  const delivery = deliveries.find((d) => d.message.type === 'recharge.requested' && d.status === 'succeeded')!;
  const { id: autoRecharge } = JSON.parse(readFileSync(join(WORKFLOWS, 'auto-recharge.json'), 'utf8')) as { id: string };
  const executionsBefore = (await executionsOf(autoRecharge)).length;
  expect((await callOn(prepaid, 'POST', `/v1/webhooks/${endpoint!.id}/deliveries/${delivery.id}/retry`)).status).toBe(202);
  await eventually(async () => {
    const again = ((await callOn(prepaid, 'GET', `/v1/webhooks/${endpoint!.id}/deliveries?limit=100`)).body.deliveries as typeof deliveries).find((d) => d.id === delivery.id)!;
    return again.status === 'succeeded' && again.attempts > delivery.attempts ? again : undefined;
  }, 'the redelivery to be answered');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // The redelivery started no execution.
  expect(await executionsOf(autoRecharge)).toHaveLength(executionsBefore);
  expect(stripe.charges.filter((c) => c['customer'] === 'cus_florist')).toHaveLength(1);
  expect((await callOn(prepaid, 'GET', '/v1/accounts/florist/balance')).body.balance).toBe('100955');

  await open('garage', 'cus_declined');
  const failure = await mailbox.waitFor((m) => (m.subject ?? '') === 'Auto-recharge failed for garage', 150_000);
  expect(failure.to && 'text' in failure.to ? failure.to.text : '').toBe('operator@example.com');
  expect(failure.text).toContain('of 100000 credits for account garage failed: no_topup_in_time');
  expect(failure.text).toContain('Failures in a row: 1');
  expect(stripe.charges.filter((c) => c['customer'] === 'cus_declined')).toHaveLength(1);
  expect((await callOn(prepaid, 'GET', '/v1/accounts/garage/balance')).body.balance).toBe('955');
}, 240_000);

test('top-up from the dashboard: the request gets a Stripe Checkout link the dashboard offers; the paid session tops up once, a forged or unpaid one not at all', async () => {
  await eventually(async () => {
    const list = (await callOn(prepaid, 'GET', '/v1/webhooks')).body.webhooks as { events: string[] }[];
    return list.find((w) => w.events.includes('topup.requested'));
  }, 'the top-up trigger to subscribe');
  expect((await callOn(prepaid, 'POST', '/v1/accounts', { id: 'salon', name: 'Salon', plan: 'payg', email: 'salon@customer.test' })).status).toBe(201);
  const token = (await callOn(prepaid, 'POST', '/v1/accounts/salon/dashboard-links', {})).body.token as string;
  // The customer's Top up on the dashboard: 50,000 credits at 0.40 EUR per 1,000 = 20.00 EUR.
  const asked = await serverCall(prepaid.url, token, 'POST', '/dashboard/api/topup-requests', { amount: '50000' });
  expect(asked).toMatchObject({ status: 201, body: { status: 'waiting_for_link', price: { net: '20.00', currency: 'EUR' } } });
  const request = asked.body.id as string;

  const ready = await eventually(async () => {
    const read = (await callOn(prepaid, 'GET', `/v1/topup-requests/${request}`)).body;
    return read.status === 'ready' ? read : undefined;
  }, 'the checkout link');
  const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === request)!;
  expect(ready.checkoutUrl).toBe(session.url);
  expect(session.form).toMatchObject({
    mode: 'payment',
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': 'eur',
    // 20.00 EUR net and 19% VAT: the session charges the gross, 23.80 EUR, which the top-up's invoice says was paid.
    'line_items[0][price_data][unit_amount]': '2380',
    'line_items[0][price_data][product_data][name]': '50,000 credits',
    'metadata[creditmeter_account]': 'salon',
    'metadata[creditmeter_amount]': '50000',
  });
  // The dashboard offers the link.
  const summary = await serverCall(prepaid.url, token, 'GET', '/dashboard/api/summary');
  expect(summary.body.topUp.request).toMatchObject({ id: request, status: 'ready', checkoutUrl: session.url });

  const { id: workflow } = JSON.parse(readFileSync(join(WORKFLOWS, 'top-up-checkout.json'), 'utf8')) as { id: string };
  const stripeEvent = (id: string) =>
    fetch(`${n8n.url}/webhook/creditmeter/stripe-checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'checkout.session.completed', data: { object: { id } } }) });
  const finished = async (count: number) =>
    eventually(async () => {
      const runs = await executionsOf(workflow);
      return runs.filter((e) => !['new', 'running', 'waiting'].includes(e.status)).length >= count ? runs : undefined;
    }, `${count} finished executions`);
  const before = (await executionsOf(workflow)).length;
  // An event for a session not paid yet, and one naming no session at all: the workflow asks
  // Stripe, not the event, and tops up nothing.
  expect((await stripeEvent(session.id)).status).toBe(200);
  expect((await stripeEvent('cs_forged')).status).toBe(200);
  await finished(before + 2);
  expect((await callOn(prepaid, 'GET', '/v1/accounts/salon/balance')).body.balance).toBe('0');

  // Paid: the event tops up 50,000 credits with the request's id, and a redelivered event adds nothing.
  session.payment_status = 'paid';
  expect((await stripeEvent(session.id)).status).toBe(200);
  await eventually(async () => ((await callOn(prepaid, 'GET', `/v1/topup-requests/${request}`)).body.status === 'paid' ? true : undefined), 'the request to read paid');
  expect((await stripeEvent(session.id)).status).toBe(200);
  await finished(before + 4);
  expect((await callOn(prepaid, 'GET', '/v1/accounts/salon/balance')).body.balance).toBe('50000');
  const topups = (await callOn(prepaid, 'GET', '/v1/accounts/salon/ledger')).body.entries.filter((e: { kind: string }) => e.kind === 'topup');
  expect(topups).toEqual([expect.objectContaining({ amount: '50000', reference: request })]);
  // The paid request's top-up is invoiced once, as paid, at the request's price.
  const invoices = (await callOn(prepaid, 'GET', '/v1/accounts/salon/invoices')).body.invoices;
  expect(invoices).toEqual([expect.objectContaining({ kind: 'topup', net: '20.00', tax: '3.80', gross: '23.80', status: 'paid', payments: [expect.objectContaining({ reference: request })] })]);
}, 180_000);

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
