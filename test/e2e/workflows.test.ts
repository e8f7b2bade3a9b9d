// The example workflows in a real n8n 2.41: imported and published with the n8n CLI, run against a
// real creditmeter server (minutes catalog, system clock) and a real SMTP receiver.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
let n8n: N8n;
let mailbox: Mailbox;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${creditmeter.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
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
  mailbox = await startMailbox();
  n8n = await prepareN8n(bin);

  const scratch = mkdtempSync(join(tmpdir(), 'creditmeter-e2e-'));
  const credentials = [
    { id: 'creditmeter-api', name: 'CreditMeter API', type: 'creditMeterApi', data: { baseUrl: creditmeter.url, apiKey: API_KEY } },
    { id: 'creditmeter-smtp', name: 'SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: mailbox.port, secure: false, disableStartTls: true } },
  ];
  writeFileSync(join(scratch, 'credentials.json'), JSON.stringify(credentials));
  await n8n.cli('import:credentials', `--input=${join(scratch, 'credentials.json')}`);
  for (const file of ['usage-alert.json', 'assistant-end-of-call.json']) {
    await n8n.cli('import:workflow', `--input=${join(WORKFLOWS, file)}`);
    const { id } = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { id: string };
    await n8n.cli('publish:workflow', `--id=${id}`);
  }
  await n8n.start();
}, 30 * 60_000);

afterAll(async () => {
  await n8n?.stop();
  await mailbox?.close();
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
