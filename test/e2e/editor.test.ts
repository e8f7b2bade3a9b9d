// The nodes in n8n's own editor (a real n8n 2.41 in Debian's headless Chromium, driven by
// playwright-core) against a real creditmeter server: each example workflow opens with every node
// and no error, and the action node's panel opens for every resource with its lists loaded from
// the server (accounts, plans, add-ons, event types, meters, alert rules). A console error, a page
// error, an error toast, a parameter issue or an empty list fails the test. Screenshots land in
// test/e2e/screenshots/editor for a person to look at.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadCatalog } from '../../server/src/catalog/loadCatalog';
import { openStore, startServer, type RunningServer } from '../../server/src/server';
import type { Database } from '../../server/src/store/Database';
import { systemClock } from '../../server/src/usecases/Context';
import { ensureChromium } from './support/chromium';
import { ensureN8n } from './support/n8nInstall';
import { type N8n, OWNER, prepareN8n } from './support/n8nProcess';
import { serverCall } from './support/serverCall';

const WORKFLOWS = join(__dirname, '..', '..', 'workflows');
const SCREENSHOTS = join(__dirname, 'screenshots', 'editor');
const API_KEY = 'e2e-editor-api-key-0123456789';
/** Every example workflow the package ships. */
const EXAMPLES = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.json')).sort();

const testId = (id: string) => `[data-test-id="${id}"]`;
/** Each test opens several workflows or panels in a real editor: about a minute alone, more on a busy machine. */
const EDITOR_TEST_MS = 240_000;

/** What a builder expects in one node's panel: the account list and each loaded list's entries. */
interface Panel {
  name: string;
  resource: string;
  operation: string;
  /** The node's own parameters, given what the test made on the server. */
  parameters?: Record<string, unknown> | ((made: { ruleId: string }) => Record<string, unknown>);
  /** Whether the panel has the Account picker (every operation on an existing account). */
  account: boolean;
  /** Loaded lists (parameter name → entries it must offer). */
  lists?: Record<string, string[]>;
}

const PICKED = { __rl: true, mode: 'list', value: 'dental', cachedResultName: 'Dental Studio (dental)' };

/** One action node per resource, on an operation with its lists; the account is picked from the list. */
const PANELS: Panel[] = [
  { name: 'Account', resource: 'account', operation: 'get', account: true },
  { name: 'Account Create', resource: 'account', operation: 'create', parameters: { accountId: 'clinic', name: 'Clinic', plan: 'starter' }, account: false, lists: { plan: ['Business', 'Pay as you go', 'Starter'] } },
  { name: 'Alert Rule', resource: 'alertRule', operation: 'create', parameters: { kind: 'allowance_percent', thresholds: '80' }, account: false, lists: { meter: ['minutes'] } },
  { name: 'Alert Rule Delete', resource: 'alertRule', operation: 'delete', parameters: (made) => ({ ruleId: made.ruleId }), account: false, lists: { ruleId: ['dental: Allowance used (minutes): 80%'] } },
  { name: 'Authorization', resource: 'authorization', operation: 'check', account: true, lists: { type: ['Call'] } },
  { name: 'Auto-Recharge', resource: 'autoRecharge', operation: 'get', account: true },
  { name: 'Balance', resource: 'balance', operation: 'get', account: true },
  { name: 'Invoice', resource: 'invoice', operation: 'getAll', account: true },
  { name: 'Phone Number', resource: 'phoneNumber', operation: 'getAll', account: true },
  { name: 'Plan', resource: 'plan', operation: 'buyAddOn', parameters: { addOn: 'extra_minutes_100' }, account: true, lists: { addOn: ['Extra minutes (100)'] } },
  { name: 'Report', resource: 'report', operation: 'forecast', account: true },
  { name: 'Reservation', resource: 'reservation', operation: 'create', parameters: { reference: 'call-1' }, account: true, lists: { type: ['Call'] } },
  { name: 'Top-Up', resource: 'topUp', operation: 'create', parameters: { amount: '10', reference: 'top-up-1' }, account: true },
  { name: 'Usage', resource: 'usage', operation: 'record', parameters: { durationSeconds: 60 }, account: true, lists: { type: ['Call'] } },
];

/** A workflow of one action node per panel (node version 3), unconnected. */
function everyResource(made: { ruleId: string }) {
  return {
    id: 'e2eEveryResource',
    name: 'e2e: every resource',
    active: false,
    settings: { executionOrder: 'v1' },
    pinData: {},
    connections: {},
    nodes: PANELS.map((panel, index) => ({
      id: `5f1c7a40-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name: panel.name,
      type: 'n8n-nodes-creditmeter.creditMeter',
      typeVersion: 3,
      position: [(index % 5) * 240, Math.floor(index / 5) * 200],
      parameters: {
        resource: panel.resource,
        operation: panel.operation,
        ...(panel.account ? { accountId: PICKED } : {}),
        ...(typeof panel.parameters === 'function' ? panel.parameters(made) : panel.parameters),
      },
      credentials: { creditMeterApi: { id: 'creditmeter-api', name: 'CreditMeter API' } },
    })),
  };
}

let db: Database;
let creditmeter: RunningServer;
let n8n: N8n;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const isSchemaPreview = (url: string) => URL.canParse(url) && new URL(url).pathname.startsWith('/schemas/n8n-nodes-creditmeter.');

const call = (method: string, path: string, body?: unknown) => serverCall(creditmeter.url, API_KEY, method, path, body);

beforeAll(async () => {
  const executablePath = ensureChromium((line) => process.stderr.write(`${line}\n`));
  const bin = ensureN8n((line) => process.stderr.write(`${line}\n`));
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = await openStore({});
  creditmeter = await startServer({ db, catalog: loadCatalog('minutes'), clock: systemClock, apiKey: API_KEY });
  expect((await call('POST', '/v1/accounts', { id: 'dental', name: 'Dental Studio', plan: 'starter' })).status).toBe(201);
  expect((await call('POST', '/v1/accounts', { id: 'bakery', name: 'Bakery', plan: 'payg' })).status).toBe(201);
  expect((await call('POST', '/v1/accounts', { id: 'ortho', name: 'Orthodontics Nord', plan: 'payg' })).status).toBe(201);
  const rule = await call('POST', '/v1/alert-rules', { account: 'dental', kind: 'allowance_percent', meter: 'minutes', thresholds: [80] });
  expect(rule.status).toBe(201);

  n8n = await prepareN8n(bin);
  const scratch = mkdtempSync(join(tmpdir(), 'creditmeter-editor-'));
  const credentials = [
    { id: 'creditmeter-api', name: 'CreditMeter API', type: 'creditMeterApi', data: { baseUrl: creditmeter.url, apiKey: API_KEY } },
    { id: 'stripe-api', name: 'Stripe', type: 'stripeApi', data: { secretKey: 'sk_test_unused' } },
    { id: 'assistant-platform-secret', name: 'Assistant platform secret', type: 'httpHeaderAuth', data: { name: 'X-Vapi-Secret', value: 'unused' } },
    { id: 'creditmeter-smtp', name: 'SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: 2525, secure: false, disableStartTls: true } },
  ];
  writeFileSync(join(scratch, 'credentials.json'), JSON.stringify(credentials));
  await n8n.cli('import:credentials', `--input=${join(scratch, 'credentials.json')}`);
  // The examples as shipped: the editor shows them as a builder imports them.
  for (const file of EXAMPLES) await n8n.cli('import:workflow', `--input=${join(WORKFLOWS, file)}`);
  writeFileSync(join(scratch, 'every-resource.json'), JSON.stringify(everyResource({ ruleId: rule.body.id })));
  await n8n.cli('import:workflow', `--input=${join(scratch, 'every-resource.json')}`);
  await n8n.start();

  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() < 400) return;
    // The editor asks for a node's output schema, which a package may ship for a preview before
    // the node has run; it shows none when the answer is 404 (and the browser logs that too).
    if (response.status() !== 404 || !isSchemaPreview(response.url())) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('console', (message) => {
    // A resource that failed to load is logged with its address as the message's location.
    if (message.type() === 'error' && !(message.text().includes('status of 404') && isSchemaPreview(message.location().url))) problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${n8n.url}/signin`);
  await page.locator(`${testId('emailOrLdapLoginId')} input`).fill(OWNER.email);
  await page.locator(`${testId('password')} input`).fill(OWNER.password);
  await page.locator(testId('form-submit-button')).click();
  await page.waitForURL(/\/(home|workflows)/);
  // Before signing in, the page asks whether a session exists; the 401 (and its console line) is its answer.
  expect(problems).toEqual([`401 GET ${n8n.url}/rest/login`, 'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  problems.length = 0;
}, 30 * 60_000);

afterAll(async () => {
  await browser?.close();
  await n8n?.stop();
  await creditmeter?.close();
  await db?.close();
});

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Error toasts on screen, by their text. */
const errorToasts = () => page.locator('.el-notification:has(.el-notification--error)').allInnerTexts();

async function openWorkflow(id: string, nodes: number): Promise<void> {
  await page.goto(`${n8n.url}/workflow/${id}`);
  await page.locator(testId('canvas-wrapper')).waitFor();
  await until(async () => (await page.locator(testId('canvas-node')).count()) === nodes, `${nodes} nodes on the canvas`);
}

async function openNode(name: string): Promise<void> {
  await page.locator(`${testId('canvas-node')}[data-node-name="${name}"]`).dblclick();
  await page.locator(testId('ndv')).waitFor();
}

async function closeNode(): Promise<void> {
  await page.locator(testId('ndv-close-button')).click();
  await page.locator(testId('ndv')).waitFor({ state: 'hidden' });
}

/** The entries an options parameter offers once its list has loaded from the server. */
async function optionsOf(parameter: string, screenshot: string): Promise<string[]> {
  const input = page.locator(`${testId('ndv')} ${testId(`parameter-input-${parameter}`)}`);
  await input.click();
  const items = page.locator(`.el-popper:visible ${testId('parameter-input-item')}`);
  await items.first().waitFor();
  const names = await items.locator('.option-headline').allInnerTexts();
  await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await page.keyboard.press('Escape');
  return names.map((n) => n.trim());
}

/**
 * The Account picker's entries for a search text, once the list has settled on what the test
 * expects (it loads, and follows the search, while it is open) or, failing that, after 15 seconds.
 */
async function accountsListed(search: string, expected: string[], screenshot: string): Promise<string[]> {
  await page.locator(`${testId('resource-locator-accountId')} ${testId('rlc-input-container')}`).click();
  // The list opens as a popover holding its search box.
  const dropdown = page.locator(`[role="dialog"][data-state="open"]:has(${testId('rlc-search')})`);
  await dropdown.waitFor();
  if (search) await dropdown.locator(testId('rlc-search')).fill(search);
  const names = async () => (await dropdown.locator(testId('rlc-item')).allInnerTexts()).map((n) => n.trim());
  await until(async () => JSON.stringify(await names()) === JSON.stringify(expected), `the list to show ${expected.join(', ')}`).catch(() => undefined);
  const listed = await names();
  await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await page.keyboard.press('Escape');
  return listed;
}

test('each example workflow opens on the canvas with every node, and each CreditMeter node opens without an issue', async () => {
  for (const file of EXAMPLES) {
    const workflow = JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as { id: string; nodes: { name: string; type: string }[] };
    const onCanvas = workflow.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
    await openWorkflow(workflow.id, onCanvas.length);
    expect(await page.locator(`${testId('canvas-node')} ${testId('node-issues')}`).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, file.replace('.json', '.png')) });
    for (const node of onCanvas.filter((n) => n.type.startsWith('n8n-nodes-creditmeter.'))) {
      await openNode(node.name);
      expect(await page.locator(`${testId('ndv')} ${testId('parameter-issues')}`).count()).toBe(0);
      await closeNode();
    }
    expect(await errorToasts()).toEqual([]);
  }
  expect(problems).toEqual([]);
}, EDITOR_TEST_MS);

test("the action node's panel opens for every resource, with the server's accounts, plans, add-ons, event types, meters and alert rules", async () => {
  await openWorkflow('e2eEveryResource', PANELS.length);
  for (const panel of PANELS) {
    await openNode(panel.name);
    await page.screenshot({ path: join(SCREENSHOTS, `panel-${panel.resource}-${panel.operation}.png`) });
    expect({ panel: panel.name, issues: await page.locator(`${testId('ndv')} ${testId('parameter-issues')}`).allInnerTexts() }).toEqual({ panel: panel.name, issues: [] });
    if (panel.account) {
      // The account chosen stays on top; below it the server's, in order of ID, as searched.
      const all = ['Dental Studio (dental)', 'Bakery (bakery)', 'Orthodontics Nord (ortho)'];
      const shot = `panel-${panel.resource}-${panel.operation}-account`;
      expect(await accountsListed('', all, `${shot}.png`)).toEqual(all);
      expect(await accountsListed('BAK', ['Dental Studio (dental)', 'Bakery (bakery)'], `${shot}-searched.png`)).toEqual(['Dental Studio (dental)', 'Bakery (bakery)']);
    }
    for (const [parameter, entries] of Object.entries(panel.lists ?? {})) {
      expect({ panel: panel.name, parameter, entries: await optionsOf(parameter, `panel-${panel.resource}-${panel.operation}-${parameter}.png`) }).toEqual({ panel: panel.name, parameter, entries });
    }
    await closeNode();
    expect(await errorToasts()).toEqual([]);
  }
  expect(problems).toEqual([]);
}, EDITOR_TEST_MS);
