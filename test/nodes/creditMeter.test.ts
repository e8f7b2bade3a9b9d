// The action node, executed by n8n-core's WorkflowExecute against a real creditmeter server
// (credits preset, DOMAIN.md model 2: a call costs 95 credits a minute, billed per second).
import { startTestServer, type TestServer } from '../server/support/servers';
import { ACTION, loadOptions, runWorkflow, searchList, type NodeSpec } from './support/n8n';
import { CreditMeter } from '../../nodes/CreditMeter/CreditMeter.node';

let server: TestServer;
let credentials: { baseUrl: string; apiKey: string };

beforeAll(async () => {
  server = await startTestServer('pglite', { catalog: 'credits' });
  credentials = { baseUrl: `${server.url}/`, apiKey: server.apiKey };
  await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg' });
  await server.call('POST', '/v1/accounts/shop/topups', { amount: '10000', reference: 'opening' });
});
afterAll(() => server.stop());

const node = (parameters: NodeSpec['parameters'], extra: Partial<NodeSpec> = {}): NodeSpec => ({ name: 'CreditMeter', type: ACTION, parameters, ...extra });
async function run(parameters: NodeSpec['parameters'], items = [{ json: {} }], extra: Partial<NodeSpec> = {}, executionId?: string) {
  const result = await runWorkflow(credentials, [node(parameters, extra)], items, executionId);
  return { ...result, json: result.output('CreditMeter').map((item) => item.json) };
}

describe('Account', () => {
  test('create, get, update and list accounts', async () => {
    const created = await run({
      resource: 'account', operation: 'create', accountId: 'acme', name: 'Acme', plan: 'starter', interval: 'month',
      additionalFields: { email: 'owner@acme.test' },
    });
    expect(created.error).toBeUndefined();
    expect(created.json).toEqual([expect.objectContaining({ id: 'acme', name: 'Acme', plan: 'starter', email: 'owner@acme.test', balance: '150000' })]);

    const got = await run({ resource: 'account', operation: 'get', accountId: 'acme' });
    expect(got.json[0]).toMatchObject({ id: 'acme', status: 'active' });

    const updated = await run({ resource: 'account', operation: 'update', accountId: 'acme', updateFields: { name: 'Acme GmbH' } });
    expect(updated.json[0]).toMatchObject({ name: 'Acme GmbH', email: 'owner@acme.test' });

    const all = await run({ resource: 'account', operation: 'getAll', returnAll: true });
    expect(all.json.map((a) => a['id'])).toEqual(expect.arrayContaining(['acme', 'shop']));
    const one = await run({ resource: 'account', operation: 'getAll', returnAll: false, limit: 1 });
    expect(one.json).toHaveLength(1);
  });

  test('a dashboard link for the customer opens their dashboard for the hours asked', async () => {
    const made = await run({ resource: 'account', operation: 'createDashboardLink', accountId: 'shop', expiresInHours: 24 });
    expect(made.error).toBeUndefined();
    const expiresAt = new Date(server.clock.now().getTime() + 24 * 60 * 60 * 1000).toISOString();
    expect(made.json[0]).toMatchObject({ account: 'shop', expiresAt, url: expect.stringMatching(/\/dashboard#token=cmd1\./) });
    const summary = await fetch(`${server.url}/dashboard/api/summary`, { headers: { authorization: `Bearer ${made.json[0]!['token']}` } });
    expect(((await summary.json()) as { account: { id: string } }).account.id).toBe('shop');
  });
});

describe('Account spend limit (minutes preset: postpaid, a call minute 0.15 EUR)', () => {
  let minutes: TestServer;
  let minutesCredentials: typeof credentials;
  beforeAll(async () => {
    minutes = await startTestServer('pglite', { catalog: 'minutes' });
    minutesCredentials = { baseUrl: `${minutes.url}/`, apiKey: minutes.apiKey };
    await minutes.call('POST', '/v1/accounts', { id: 'voice', name: 'Voice', plan: 'payg' });
  });
  afterAll(() => minutes.stop());
  const runOn = async (parameters: NodeSpec['parameters']) => (await runWorkflow(minutesCredentials, [node(parameters)], [{ json: {} }])).output('CreditMeter').map((item) => item.json);

  test('set a spend limit of 3.00: a call may then last 1,200 seconds; get it; remove it', async () => {
    const [set] = await runOn({ resource: 'account', operation: 'setSpendLimit', accountId: 'voice', spendLimit: '3.00' });
    expect(set).toMatchObject({ account: 'voice', limit: '3', currency: 'EUR', spent: '0', remaining: '3', reached: false });
    const [check] = await runOn({ resource: 'authorization', operation: 'check', accountId: 'voice', type: 'call', usageData: '{"duration_seconds": 60}' });
    expect(check).toMatchObject({ allowed: true, estimatedCost: '0.15', maxDurationSeconds: 1200 });
    expect((await runOn({ resource: 'account', operation: 'getSpendLimit', accountId: 'voice' }))[0]).toMatchObject({ limit: '3' });
    expect((await runOn({ resource: 'account', operation: 'removeSpendLimit', accountId: 'voice' }))[0]).toMatchObject({ limit: null, previous: '3' });
  });

  test("a spend limit on a prepaid account fails with the server's message", async () => {
    const failed = await run({ resource: 'account', operation: 'setSpendLimit', accountId: 'shop', spendLimit: '50' });
    expect(failed.error?.message).toBe('A spend limit applies to postpaid plans billed in EUR; Pay as you go is prepaid, and its balance limits its spending already.');
  });
});

describe('Account prices (credits preset: a call connection costs 95 credits a minute)', () => {
  test('set the account its own 80 credits a minute, get them, a 60-second call then costs 80; remove them; bad JSON names the service', async () => {
    await server.call('POST', '/v1/accounts', { id: 'priced', name: 'Priced', plan: 'payg' });
    const prices = '{"call_connection": {"price": {"amount": "80", "per": 60}}}';
    const set = await run({ resource: 'account', operation: 'setPrices', accountId: 'priced', prices });
    expect(set.error).toBeUndefined();
    expect(set.json[0]).toEqual({ account: 'priced', services: { call_connection: { price: { amount: '80', per: 60 } } } });
    expect((await run({ resource: 'account', operation: 'getPrices', accountId: 'priced' })).json[0]).toEqual(set.json[0]);
    const call = await server.call('POST', '/v1/events', { id: 'priced-1', account: 'priced', type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: 60 } });
    expect(call.body.cost).toBe('80');
    expect((await run({ resource: 'account', operation: 'removePrices', accountId: 'priced' })).json[0]).toEqual({ account: 'priced', services: {} });
    const unknown = await run({ resource: 'account', operation: 'setPrices', accountId: 'priced', prices: '{"fax_pages": {"price": {"amount": "1"}}}' });
    expect(unknown.error?.message).toMatch(/services\.fax_pages/);
  });
});

describe('Phone Number', () => {
  test('rent a local number (10,000 credits for a whole March), list it, release it', async () => {
    await server.call('POST', '/v1/accounts', { id: 'callcenter', name: 'Call center', plan: 'starter', anchor: server.clock.now().toISOString() });
    const rented = await run({ resource: 'phoneNumber', operation: 'rent', accountId: 'callcenter', number: '+493055501234', numberType: 'local', country: 'DE' });
    expect(rented.error).toBeUndefined();
    expect(rented.json[0]).toMatchObject({ number: '+493055501234', type: 'local', firstCharge: { amount: '10000' }, balance: '140000' });

    const listed = await run({ resource: 'phoneNumber', operation: 'getAll', accountId: 'callcenter', includeReleased: false });
    expect(listed.json).toEqual([expect.objectContaining({ id: rented.json[0]!['id'], status: 'active' })]);

    const released = await run({ resource: 'phoneNumber', operation: 'release', accountId: 'callcenter', phoneNumberId: String(rented.json[0]!['id']) });
    expect(released.json[0]).toMatchObject({ status: 'released' });
    expect((await run({ resource: 'phoneNumber', operation: 'getAll', accountId: 'callcenter', includeReleased: false })).json).toEqual([]);
    expect((await run({ resource: 'phoneNumber', operation: 'getAll', accountId: 'callcenter', includeReleased: true })).json).toHaveLength(1);
  });

  test('a number rented twice fails with the server message', async () => {
    await run({ resource: 'phoneNumber', operation: 'rent', accountId: 'callcenter', number: '+493055509999', numberType: 'local', country: 'DE' });
    const twice = await run({ resource: 'phoneNumber', operation: 'rent', accountId: 'callcenter', number: '+493055509999', numberType: 'local', country: 'DE' });
    expect(twice.error?.message).toBe('The number +493055509999 is rented already; release it first.');
  });
});

describe('Invoice', () => {
  test("list an account's invoices, see the upcoming one, get one, download its PDF, record a failed and a successful payment", async () => {
    // Starter in the credits preset: 49 EUR a month, billed up front; 19% VAT = 9.31; 58.31.
    await server.call('POST', '/v1/accounts', { id: 'billed', name: 'Billed', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    const before = server.clock.now();
    server.clock.set('2026-04-01T00:00:00Z');
    try {
      const closed = await run({ resource: 'account', operation: 'closeCycles', accountId: 'billed' });
      expect(closed.json).toEqual([expect.objectContaining({ cycle: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, plan: 'starter' })]);
      const cycles = await run({ resource: 'account', operation: 'getCycles', accountId: 'billed' });
      expect(cycles.json[0]).toMatchObject({ current: { start: '2026-04-01T00:00:00.000Z' }, closings: [expect.objectContaining({ creditsGranted: '150000' })] });
      const listed = await run({ resource: 'invoice', operation: 'getAll', accountId: 'billed' });
      // April's fee from the closing, newest first; March's from the opening.
      expect(listed.json).toEqual([expect.objectContaining({ kind: 'cycle', gross: '58.31', status: 'open' }), expect.objectContaining({ kind: 'opening', gross: '58.31' })]);
      const id = String(listed.json[0]!['id']);
      // The next one, issued when April closes, bills May's fee ahead.
      const upcoming = await run({ resource: 'invoice', operation: 'getUpcoming', accountId: 'billed' });
      expect(upcoming.json[0]).toMatchObject({ issuesAt: '2026-05-01T00:00:00.000Z', lines: [expect.objectContaining({ description: 'Starter plan, 2026-05-01 – 2026-05-31', net: '49.00' })], gross: '58.31' });

      const got = await run({ resource: 'invoice', operation: 'get', invoiceId: id });
      expect(got.json[0]).toMatchObject({ id, net: '49.00', tax: '9.31' });

      const pdf = await run({ resource: 'invoice', operation: 'downloadPdf', invoiceId: id, binaryPropertyName: 'invoice' });
      expect(pdf.error).toBeUndefined();
      const item = pdf.output('CreditMeter')[0]!;
      expect(item.json).toMatchObject({ fileName: `${listed.json[0]!['number']}.pdf`, mimeType: 'application/pdf' });
      expect(Buffer.from(item.binary!['invoice']!.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

      const failed = await run({ resource: 'invoice', operation: 'recordPayment', invoiceId: id, paymentStatus: 'failed', failureReason: 'expired_card', paymentReference: 'ch_1' });
      expect(failed.json[0]).toMatchObject({ status: 'failed', payments: [{ status: 'failed', reason: 'expired_card', reference: 'ch_1' }] });
      const paid = await run({ resource: 'invoice', operation: 'recordPayment', invoiceId: id, paymentStatus: 'paid', paymentReference: '' });
      expect(paid.json[0]).toMatchObject({ status: 'paid' });
    } finally {
      server.clock.set(before);
    }
  });

  test('download an invoice as its ZUGFeRD PDF and as its XRechnung XML; an e-invoice lacking the buyer\'s address fails naming it', async () => {
    // Starter's opening invoice, 49.00 + 9.31 VAT = 58.31, to a practice in Berlin.
    await server.call('POST', '/v1/accounts', {
      id: 'arztpraxis',
      name: 'Praxis Dr. Müller',
      // XRechnung 3.0 asks the buyer's electronic address: its e-mail.
      email: 'praxis@mueller.example',
      plan: 'starter',
      billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE', vatId: 'DE123456789' },
    });
    const [invoice] = (await run({ resource: 'invoice', operation: 'getAll', accountId: 'arztpraxis' })).json;
    const id = String(invoice!['id']);
    const download = async (downloadFormat: string, invoiceId = id) => {
      const result = await run({ resource: 'invoice', operation: 'downloadPdf', invoiceId, downloadFormat, binaryPropertyName: 'file' });
      return { error: result.error, item: result.error ? undefined : result.output('CreditMeter')[0]! };
    };

    const zugferd = await download('zugferd');
    expect(zugferd.error).toBeUndefined();
    expect(zugferd.item!.json).toMatchObject({ fileName: `${invoice!['number']}.pdf`, mimeType: 'application/pdf' });
    const pdf = Buffer.from(zugferd.item!.binary!['file']!.data, 'base64').toString('latin1');
    expect(pdf).toContain('factur-x.xml');

    const xrechnung = await download('xrechnung');
    expect(xrechnung.error).toBeUndefined();
    expect(xrechnung.item!.json).toMatchObject({ fileName: `${invoice!['number']}.xml`, mimeType: 'application/xml' });
    const xml = Buffer.from(xrechnung.item!.binary!['file']!.data, 'base64').toString('utf8');
    expect(xml).toContain('<ram:GrandTotalAmount>58.31</ram:GrandTotalAmount>');

    // A consumer with no address has an invoice only as a PDF.
    await server.call('POST', '/v1/accounts', { id: 'private', name: 'Private', plan: 'starter' });
    const [theirs] = (await run({ resource: 'invoice', operation: 'getAll', accountId: 'private' })).json;
    const refused = await download('xrechnung', String(theirs!['id']));
    expect(refused.error?.message).toContain('cannot be an EN 16931 e-invoice: it was issued without billing.address');
  });
});

describe('Invoice corrections', () => {
  test('credit lines of an invoice and an amount, refused past what is left; void it; a paid one is not voided', async () => {
    // Starter's opening invoice: 49.00, 19% = 9.31, 58.31.
    await server.call('POST', '/v1/accounts', { id: 'corrected', name: 'Corrected', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    const [invoice] = (await server.call('GET', '/v1/accounts/corrected/invoices')).body.invoices;
    const byLines = await run({
      resource: 'invoice', operation: 'createCreditNote', invoiceId: invoice.id, reason: 'Goodwill', creditBy: 'lines',
      creditLines: { line: [{ line: 0, by: 'amount', value: '10.00' }] }, refund: 'external',
    });
    expect(byLines.error).toBeUndefined();
    // 10.00 net; 19% = 1.90; 11.90.
    expect(byLines.json[0]).toMatchObject({ invoice: { id: invoice.id }, lines: [{ line: 0, net: '10.00' }], net: '10.00', tax: '1.90', gross: '11.90', reason: 'Goodwill', refund: 'external' });
    const byAmount = await run({ resource: 'invoice', operation: 'createCreditNote', invoiceId: invoice.id, reason: 'More goodwill', creditBy: 'amount', creditAmount: '5.00', refund: 'external' });
    expect(byAmount.json[0]).toMatchObject({ net: '5.00', tax: '0.95', gross: '5.95' });
    expect(Number(String(byAmount.json[0]!['number']).slice(-6))).toBe(Number(String(byLines.json[0]!['number']).slice(-6)) + 1);
    // 49.00 − 15.00 = 34.00 left.
    const over = await run({ resource: 'invoice', operation: 'createCreditNote', invoiceId: invoice.id, reason: 'Too much', creditBy: 'amount', creditAmount: '34.01', refund: 'external' });
    expect(over.error?.message).toBe('Amount: is 34.01 EUR, more than the 34.00 EUR left to credit on the invoice');

    const voided = await run({ resource: 'invoice', operation: 'void', invoiceId: invoice.id, reason: 'Opened by mistake' });
    expect(voided.json[0]).toMatchObject({ id: invoice.id, status: 'void', due: '0.00', voided: { reason: 'Opened by mistake' } });

    await server.call('POST', '/v1/accounts', { id: 'paidup', name: 'Paid up', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    const [paid] = (await server.call('GET', '/v1/accounts/paidup/invoices')).body.invoices;
    await server.call('POST', `/v1/invoices/${paid.id}/payment`, { status: 'paid' });
    const refused = await run({ resource: 'invoice', operation: 'void', invoiceId: paid.id, reason: 'Too late' });
    expect(refused.error?.message).toBe(`Invoice ${paid.number} is paid: it cannot be voided; issue a credit note for it instead.`);
  });
});

describe('Invoice drafts', () => {
  test("issue a draft held for the buyer's address: refused with the server's message while the address is missing, numbered once it is given", async () => {
    // A business by its VAT id, without an address: its opening invoice (Starter, 58.31) waits as a draft.
    await server.call('POST', '/v1/accounts', { id: 'firm', name: 'Firm GmbH', plan: 'starter', anchor: '2026-03-01T00:00:00Z', billing: { vatId: 'DE123456789' } });
    const [draft] = (await server.call('GET', '/v1/accounts/firm/invoices')).body.invoices;
    expect(draft).toMatchObject({ status: 'draft', number: null, gross: '58.31' });
    const refused = await run({ resource: 'invoice', operation: 'issue', invoiceId: draft.id });
    // The node names the field the server names.
    expect(refused.error?.message).toBe(
      `billing.address: Invoice ${draft.id} stays a draft: an invoice to a business must name the buyer's address (§14 UStG). Give the account firm its billing.address first.`,
    );
    // The address given by another way than the account update, which would issue it itself.
    await server.db.query(`UPDATE accounts SET billing = '{"vatId": "DE123456789", "address": ["Torstraße 1", "10119 Berlin"]}'::jsonb WHERE id = 'firm'`);
    const issued = await run({ resource: 'invoice', operation: 'issue', invoiceId: draft.id });
    expect(issued.json[0]).toMatchObject({ id: draft.id, status: 'open', number: expect.stringMatching(/^CM-2026-\d{6}$/), held: null });
  });
});

describe('Plan', () => {
  test('list plans, preview and apply an upgrade, cancel when nothing is scheduled, resources the catalog does not limit fail', async () => {
    const plans = await run({ resource: 'plan', operation: 'getAll' });
    expect(plans.json.map((p) => p['code'])).toEqual(['payg', 'starter', 'growth']);

    await server.call('POST', '/v1/accounts', { id: 'upgrader', name: 'Upgrader', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    // At the start of March the whole difference of the packages: 500,000 - 150,000.
    const preview = await run({ resource: 'plan', operation: 'previewChange', accountId: 'upgrader', targetPlan: 'growth', targetInterval: '', preview: true });
    expect(preview.json[0]).toMatchObject({ kind: 'upgrade', preview: true, creditsGranted: '350000' });
    expect((await server.call('GET', '/v1/accounts/upgrader')).body.plan).toBe('starter');

    const changed = await run({ resource: 'plan', operation: 'change', accountId: 'upgrader', targetPlan: 'growth', targetInterval: '' });
    expect(changed.json[0]).toMatchObject({ kind: 'upgrade', scheduled: false });
    expect((await server.call('GET', '/v1/accounts/upgrader/balance')).body.balance).toBe('500000');

    const cancelled = await run({ resource: 'plan', operation: 'cancelChange', accountId: 'upgrader' });
    expect(cancelled.json[0]).toMatchObject({ cancelled: false });
    const resources = await run({ resource: 'plan', operation: 'setResources', accountId: 'upgrader', resources: '{"documents": 5}' });
    expect(resources.error?.message).toMatch(/^documents: no plan limits 'documents'/);

    const cancel = await run({ resource: 'plan', operation: 'cancelSubscription', accountId: 'upgrader' });
    expect(cancel.json[0]).toMatchObject({ endsAt: '2026-04-01T00:00:00.000Z' });
    const withdrawn = await run({ resource: 'plan', operation: 'withdrawCancellation', accountId: 'upgrader' });
    expect(withdrawn.json[0]).toMatchObject({ endsAt: null });

    // Without usage, and with no template, the cheapest fee ranks first.
    const recommended = await run({ resource: 'plan', operation: 'recommend', accountId: 'upgrader' });
    expect(recommended.json.map((r) => r['plan'])).toEqual(['payg', 'starter', 'growth']);
    expect(recommended.json[0]).toMatchObject({ rank: 1, fits: true, fee: '0' });

    const pack = await run({ resource: 'plan', operation: 'buyAddOn', accountId: 'upgrader', addOn: 'extra_credits_50k', quantity: 1 });
    expect(pack.json[0]).toMatchObject({ addOn: 'extra_credits_50k', added: { credits: '50000' } });
  });
});

describe('Usage', () => {
  test('a 90-second call is charged 142.5 credits; the same node run again is a duplicate, not a second charge', async () => {
    const call = { resource: 'usage', operation: 'record', accountId: 'shop', type: 'call', durationSeconds: 90, timestamp: server.clock.now().toISOString() };
    const first = await run(call, undefined, {}, 'execution-17');
    expect(first.error).toBeUndefined();
    expect(first.json[0]).toMatchObject({ status: 'accepted', cost: '142.5' });
    const before = (await server.call('GET', '/v1/accounts/shop/balance')).body.balance;
    // n8n retrying the node keeps the execution, node, run and item, hence the derived key: a duplicate.
    const again = await run(call, undefined, {}, 'execution-17');
    expect(again.json[0]).toMatchObject({ status: 'duplicate', cost: '142.5' });
    // n8n's "Retry execution" is a new execution replaying the same items: the same key again.
    const retried = await run(call, undefined, {}, 'execution-18');
    expect(retried.json[0]).toMatchObject({ status: 'duplicate', cost: '142.5' });
    expect((await server.call('GET', '/v1/accounts/shop/balance')).body.balance).toBe(before);
    // Another item (another call, as its input tells) is another event.
    const other = await run(call, [{ json: { callId: 'c-2' } }], {}, 'execution-19');
    expect(other.json[0]).toMatchObject({ status: 'accepted', cost: '142.5' });
  });

  test('an event ID from the input is the idempotency key; Get Event returns the charges with their traces', async () => {
    const recorded = await run(
      {
        resource: 'usage', operation: 'record', accountId: 'shop', type: 'chat', id: '={{ $json.turn }}', inputTokens: 1500, outputTokens: 0,
        timestamp: server.clock.now().toISOString(), additionalFields: { assistant: 'support-bot' },
      },
      [{ json: { turn: 'turn-1' } }, { json: { turn: 'turn-1' } }],
    );
    expect(recorded.json.map((r) => [r['status'], r['cost']])).toEqual([
      ['accepted', '60'],
      ['duplicate', '60'],
    ]);
    const event = await run({ resource: 'usage', operation: 'get', accountId: 'shop', eventId: 'turn-1' });
    expect(event.json[0]).toMatchObject({ id: 'turn-1', type: 'chat', cost: '60', data: { input_tokens: 1500, assistant: 'support-bot' } });
    expect((event.json[0]!['charges'] as unknown[]).length).toBeGreaterThan(0);
  });

  test("Get Many lists the account's events newest first, narrowed by the filters, all of them page by page", async () => {
    await server.call('POST', '/v1/accounts', { id: 'studio', name: 'Studio', plan: 'payg' });
    await server.call('POST', '/v1/accounts/studio/topups', { amount: '100000', reference: 'opening' });
    // Three 60-second calls (95 credits each) and a chat turn of 1,000 input tokens (40 credits).
    const events = [
      { id: 's-1', type: 'call', timestamp: '2026-02-28T09:00:00Z', data: { duration_seconds: 60, assistant: 'booking' } },
      { id: 's-2', type: 'chat', timestamp: '2026-02-28T10:00:00Z', data: { input_tokens: 1000, output_tokens: 0, assistant: 'booking' } },
      { id: 's-3', type: 'call', timestamp: '2026-02-28T11:00:00Z', data: { duration_seconds: 60, assistant: 'support' } },
      { id: 's-4', type: 'call', timestamp: '2026-02-28T12:00:00Z', data: { duration_seconds: 60, assistant: 'booking', campaign: 'spring' } },
    ];
    for (const event of events) expect((await server.call('POST', '/v1/events', { ...event, account: 'studio' })).status).toBe(201);
    const listed = async (parameters: Record<string, unknown>) => {
      const result = await run({ resource: 'usage', operation: 'getAll', accountId: 'studio', ...parameters });
      expect(result.error).toBeUndefined();
      return result.json.map((e) => [e['id'], e['cost']]);
    };
    expect(await listed({ returnAll: true })).toEqual([['s-4', '95'], ['s-3', '95'], ['s-2', '40'], ['s-1', '95']]);
    expect(await listed({ returnAll: false, limit: 2 })).toEqual([['s-4', '95'], ['s-3', '95']]);
    expect(await listed({ returnAll: true, filters: { type: 'call', assistant: 'booking' } })).toEqual([['s-4', '95'], ['s-1', '95']]);
    expect(await listed({ returnAll: true, filters: { campaign: 'spring' } })).toEqual([['s-4', '95']]);
    expect(await listed({ returnAll: true, filters: { from: '2026-02-28T10:00:00Z', to: '2026-02-28T12:00:00Z' } })).toEqual([['s-3', '95'], ['s-2', '40']]);
  });

  test('Void Event gives a call back and Amend Event charges it again with new data, under the same ID', async () => {
    await server.call('POST', '/v1/accounts', { id: 'fixes', name: 'Fixes', plan: 'payg' });
    await server.call('POST', '/v1/accounts/fixes/topups', { amount: '10000', reference: 'opening' });
    const at = server.clock.now().toISOString();
    for (const id of ['dup', 'short']) await server.call('POST', '/v1/events', { id, account: 'fixes', type: 'call', timestamp: at, data: { duration_seconds: 60 } });
    const voided = await run({ resource: 'usage', operation: 'void', accountId: 'fixes', eventId: 'dup', reason: 'Reported twice under two IDs' });
    expect(voided.error).toBeUndefined();
    expect(voided.json[0]).toMatchObject({ event: { id: 'dup', voidReason: 'Reported twice under two IDs' }, balance: '9905' });
    const amended = await run({ resource: 'usage', operation: 'amend', accountId: 'fixes', eventId: 'short', newData: '{ "duration_seconds": 120 }', reason: 'Duration was wrong' });
    expect(amended.error).toBeUndefined();
    expect(amended.json[0]).toMatchObject({ event: { id: 'short', version: 2, cost: '190' }, previous: { cost: '95' } });
    // The server names the field it refuses.
    const refused = await run({ resource: 'usage', operation: 'amend', accountId: 'fixes', eventId: 'short', newData: '{ "duration_seconds": -1 }', reason: 'x' });
    expect(refused.error?.message).toMatch(/data\.duration_seconds/);
  });

  test('Get Many with Return All follows the cursor past one page', async () => {
    // 1,001 events: more than the server's largest page of 1,000.
    await server.call('POST', '/v1/accounts', { id: 'busy', name: 'Busy', plan: 'payg' });
    await server.call('POST', '/v1/accounts/busy/topups', { amount: '1000000', reference: 'opening' });
    const batch = Array.from({ length: 1001 }, (_, i) => ({ id: `b-${i}`, account: 'busy', type: 'chat', timestamp: new Date(Date.UTC(2026, 1, 27, 0, 0, i)).toISOString(), data: { input_tokens: 1, output_tokens: 0 } }));
    expect((await server.call('POST', '/v1/events/batch', { events: batch.slice(0, 1000) })).body.accepted).toBe(1000);
    expect((await server.call('POST', '/v1/events/batch', { events: batch.slice(1000) })).body.accepted).toBe(1);
    const all = await run({ resource: 'usage', operation: 'getAll', accountId: 'busy', returnAll: true });
    expect(all.error).toBeUndefined();
    expect(all.json).toHaveLength(1001);
    expect(new Set(all.json.map((e) => e['id'])).size).toBe(1001);
    expect(all.json[0]!['id']).toBe('b-1000');
  });

  test('SMS text is segmented by the server: 161 GSM characters are two segments, 5,000 credits', async () => {
    const sms = await run({ resource: 'usage', operation: 'record', accountId: 'shop', type: 'sms', direction: 'outbound', text: 'a'.repeat(161), timestamp: server.clock.now().toISOString() });
    expect(sms.json[0]).toMatchObject({ status: 'accepted', cost: '5000' });
  });

  test('a batch answers per event; one bad event fails the item, never silently, and does not sink the others', async () => {
    const at = server.clock.now().toISOString();
    const events = JSON.stringify([
      { id: 'b-1', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: 60 } },
      { id: 'b-2', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: -1 } },
    ]);
    const failed = await run({ resource: 'usage', operation: 'recordBatch', events });
    expect(failed.error?.message).toMatch(/^1 of 2 events were rejected \(the others were recorded\): event 1: data\.duration_seconds: /);
    expect((await server.call('GET', '/v1/events/b-1?account=shop')).status).toBe(200);
    // With "Continue on fail" the item carries the rejection; sent again, the good event is a duplicate.
    const carried = await run({ resource: 'usage', operation: 'recordBatch', events }, [{ json: {} }], { continueOnFail: true });
    expect(carried.error).toBeUndefined();
    expect(String(carried.json[0]!['error'])).toMatch(/1 of 2 events were rejected/);
    // A batch without a rejection passes: the good event alone, a duplicate now, charges nothing more.
    const clean = await run({ resource: 'usage', operation: 'recordBatch', events: JSON.stringify([{ id: 'b-1', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: 60 } }]) });
    expect(clean.error).toBeUndefined();
    expect(clean.json[0]).toMatchObject({ accepted: 0, duplicates: 1, rejected: 0 });
    // One item per event, on request.
    const two = JSON.stringify([
      { id: 'b-1', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: 60 } },
      { id: 'b-3', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: 30 } },
    ]);
    const split = await run({ resource: 'usage', operation: 'recordBatch', events: two, batchOutput: 'perEvent' });
    expect(split.json).toMatchObject([
      { index: 0, status: 'duplicate', cost: '95' },
      { index: 1, status: 'accepted', cost: '47.5' },
    ]);
  });
});

describe('Balance, top-up, authorization', () => {
  test('top-up with a reference adds once; balance and ledger show it', async () => {
    const first = await run({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: '500', reference: 'pi_123' });
    const second = await run({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: '500', reference: 'pi_123' });
    expect(first.json[0]).toMatchObject({ reference: 'pi_123', amount: '500', duplicate: false });
    expect(second.json[0]).toMatchObject({ id: first.json[0]!['id'], duplicate: true });

    const balance = await run({ resource: 'balance', operation: 'get', accountId: 'shop' });
    expect(balance.json[0]).toMatchObject({ account: 'shop', status: 'active', held: '0' });
    const ledger = await run({ resource: 'balance', operation: 'getLedger', accountId: 'shop', limit: 1000 });
    expect(ledger.json.filter((e) => e['reference'] === 'pi_123')).toHaveLength(1);
  });

  test('Balance → Adjust credits and debits saying why, once per reference; a debit past the balance fails naming Amount', async () => {
    await server.call('POST', '/v1/accounts', { id: 'desk', name: 'Desk', plan: 'payg' });
    await server.call('POST', '/v1/accounts/desk/topups', { amount: '1000', reference: 'opening' });
    const adjust = (amount: string, reference: string, extra: object = {}) =>
      run({ resource: 'balance', operation: 'adjust', accountId: 'desk', amount, reason: 'Goodwill for the outage', reference, ...extra });

    const credited = await adjust('250', 'ticket-1');
    expect(credited.json[0]).toMatchObject({
      adjustment: { account: 'desk', amount: '250', reason: 'Goodwill for the outage', reference: 'ticket-1', expiresAt: null, keyId: 'admin' },
      entries: [{ kind: 'adjustment', amount: '250', balanceAfter: '1250', reason: 'Goodwill for the outage', keyId: 'admin' }],
      balance: '1250',
      status: 'active',
      duplicate: false,
    });
    // Run again (a retried execution): the reference makes it the same adjustment.
    const again = await adjust('250', 'ticket-1');
    expect(again.json[0]).toMatchObject({ adjustment: { id: (credited.json[0]!['adjustment'] as { id: string }).id }, balance: '1250', duplicate: true });

    expect((await adjust('-1250', 'ticket-2')).json[0]).toMatchObject({ adjustment: { amount: '-1250' }, balance: '0', status: 'paused' });
    expect((await adjust('-1', 'ticket-3')).error?.message).toBe(
      'Amount: a debit may take the balance down to zero and no further: the balance is 0 credits, so nothing can be debited',
    );
    const expiring = await adjust('100', 'ticket-4', { additionalFields: { expiresAt: '2026-04-30T00:00:00Z' } });
    expect(expiring.json[0]).toMatchObject({ adjustment: { expiresAt: '2026-04-30T00:00:00.000Z' }, balance: '100', status: 'active' });
  });

  test('a top-up with Paid Net and Paid Currency is invoiced: 250,000 credits paid 100.00 EUR net, 19.00 VAT', async () => {
    const paid = await run({
      resource: 'topUp', operation: 'create', accountId: 'shop', amount: '250000', reference: 'pi_paid',
      additionalFields: { paidNet: '100.00', paidCurrency: 'EUR' },
    });
    expect(paid.error).toBeUndefined();
    expect(paid.json[0]).toMatchObject({ reference: 'pi_paid', invoice: { currency: 'EUR', net: '100.00', tax: '19.00', gross: '119.00' } });
    const invoice = await run({ resource: 'invoice', operation: 'get', invoiceId: (paid.json[0]!['invoice'] as { id: string }).id });
    expect(invoice.json[0]).toMatchObject({ kind: 'topup', status: 'paid', lines: [{ description: 'Credits top-up, 250,000 credits', net: '100.00' }] });

    // Invoice off: a grant without an invoice, even with the catalog's price at hand.
    const unbilled = await run({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: '1000', reference: 'gift', additionalFields: { invoice: false } });
    expect(unbilled.json[0]).toMatchObject({ reference: 'gift', invoice: null });
    const wrong = await run({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: '1000', reference: 'pi_usd', additionalFields: { paidNet: '0.40', paidCurrency: 'USD' } });
    expect(wrong.error?.message).toBe('Additional Fields → Paid Currency: must be EUR, the currency the catalog invoices in');
  });

  test('authorization says whether a call may start, with the estimated cost and how long it may last', async () => {
    const check = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', usageData: '{"duration_seconds": 60, "input_tokens": 0, "output_tokens": 0}' });
    expect(check.json[0]).toMatchObject({ allowed: true, estimatedCost: '95', maxDurationSeconds: expect.any(Number) });
    // Without tokens, a minute counts 750 each way: 95 + 221.25 + 442.5.
    const typical = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', usageData: '{"duration_seconds": 60}' });
    expect(typical.json[0]).toMatchObject({ estimatedCost: '758.75' });
    const huge = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', usageData: '{"duration_seconds": 86400}' });
    expect(huge.json[0]).toMatchObject({ allowed: false, reason: 'insufficient_balance' });
  });
});

describe('Reservation, alert rule, auto-recharge', () => {
  test('reserve five minutes of a call without tokens (475 credits), extend, get, release', async () => {
    const created = await run({ resource: 'reservation', operation: 'create', accountId: 'shop', type: 'call', estimate: '{"duration_seconds": 300, "input_tokens": 0, "output_tokens": 0}', options: { ttlSeconds: 120 } });
    expect(created.json[0]).toMatchObject({ status: 'active', held: '475' });
    const reservationId = created.json[0]!['id'] as string;
    const extended = await run({ resource: 'reservation', operation: 'extend', accountId: 'shop', reservationId, estimate: '{"duration_seconds": 60, "input_tokens": 0, "output_tokens": 0}', options: {} });
    expect(extended.json[0]).toMatchObject({ held: '570' });
    expect((await run({ resource: 'reservation', operation: 'get', accountId: 'shop', reservationId })).json[0]).toMatchObject({ status: 'active' });
    expect((await run({ resource: 'reservation', operation: 'release', accountId: 'shop', reservationId })).json[0]).toMatchObject({ status: 'released', held: '0' });
  });

  test('alert rules are created from comma-separated thresholds, listed and deleted', async () => {
    const created = await run({ resource: 'alertRule', operation: 'create', kind: 'balance_below', thresholds: '1000, 500', additionalFields: { account: 'shop' } });
    expect(created.json[0]).toMatchObject({ kind: 'balance_below', account: 'shop', thresholds: ['500', '1000'] });
    const spend = await run({ resource: 'alertRule', operation: 'create', kind: 'cycle_spend_above', thresholds: '2500,1000', additionalFields: {} });
    expect(spend.json[0]).toMatchObject({ kind: 'cycle_spend_above', thresholds: ['1000', '2500'], account: null });
    // Percent thresholds are numbers; the credits catalog has no included allowance to watch.
    const percent = await run({ resource: 'alertRule', operation: 'create', kind: 'allowance_percent', meter: 'minutes', thresholds: '50,80', additionalFields: {} });
    expect(percent.error?.message).toBe("Meter: no plan of the catalog has an allowance 'minutes'");
    const listed = await run({ resource: 'alertRule', operation: 'getAll', filterAccount: 'shop' });
    expect(listed.json.map((r) => r['id'])).toEqual(expect.arrayContaining([created.json[0]!['id'], spend.json[0]!['id']]));
    const deleted = await run({ resource: 'alertRule', operation: 'delete', ruleId: created.json[0]!['id'] as string });
    expect(deleted.json[0]).toEqual({ deleted: true });
  });

  test('auto-recharge is set to a target balance and read back', async () => {
    const set = await run({ resource: 'autoRecharge', operation: 'set', accountId: 'shop', enabled: true, threshold: '100', mode: 'targetBalance', targetBalance: '1000', monthlyLimit: '5000', timeoutMinutes: 30 });
    expect(set.json[0]).toMatchObject({ enabled: true, threshold: '100', targetBalance: '1000', monthlyLimit: '5000', timeoutMinutes: 30 });
    const got = await run({ resource: 'autoRecharge', operation: 'get', accountId: 'shop' });
    expect(got.json[0]).toMatchObject({ enabled: true, openRequest: null });
  });
});

describe('Report', () => {
  test('costs by channel as JSON and as a CSV file; explain a charge; forecast; spikes', async () => {
    const now = server.clock.now();
    const from = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
    const to = new Date(Date.parse(from) + 3_600_000).toISOString();
    const costs = await run({ resource: 'report', operation: 'costs', account: 'shop', period: 'custom', from, to, groupBy: ['channel'], output: 'json' });
    expect(costs.error).toBeUndefined();
    // Voice: the 90-second call (142.5; its retries were duplicates), the same call from another
    // item (142.5), the batches' 60-second call (95) and 30-second call (47.5). SMS: one
    // two-segment message (5,000).
    expect(costs.json[0]).toMatchObject({ account: 'shop', groupBy: ['channel'], currency: 'credits' });
    const byChannel = Object.fromEntries((costs.json[0]!['groups'] as { channel: string; amount: string }[]).map((g) => [g.channel, g.amount]));
    expect(byChannel).toMatchObject({ voice: '427.5', sms: '5000' });

    const csv = await run({ resource: 'report', operation: 'costs', account: 'shop', period: 'current_cycle', groupBy: ['channel'], output: 'csv', binaryPropertyName: 'report' });
    expect(csv.error).toBeUndefined();
    const file = csv.output('CreditMeter')[0]!.binary!['report']!;
    expect(file.mimeType).toContain('text/csv');
    expect(Buffer.from(file.data, 'base64').toString('utf8')).toMatch(/^channel,unit,quantity,included,charges,amount\n/);

    const bad = await run({ resource: 'report', operation: 'costs', account: 'shop', period: 'custom', from: '2026-03-01T00:30:00Z', to, groupBy: [], output: 'csv' });
    expect(bad.error?.message).toMatch(/^from: must fall on a whole hour/);

    const explained = await run({ resource: 'report', operation: 'explain', accountId: 'shop', eventId: 'turn-1' });
    expect(explained.json[0]).toMatchObject({ event: 'turn-1', cost: '60' });
    expect(explained.json[0]!['summary']).toContain('Chat input tokens: 1500 tokens measured');

    const forecast = await run({ resource: 'report', operation: 'forecast', accountId: 'shop' });
    expect(forecast.json[0]).toMatchObject({ account: 'shop', currency: 'credits' });
    const spikes = await run({ resource: 'report', operation: 'spikes', accountId: 'shop', factor: 3 });
    expect(spikes.json[0]).toMatchObject({ account: 'shop', factor: 3 });
  });

  test('account metadata is set as JSON and merged on update', async () => {
    const created = await run({
      resource: 'account', operation: 'create', accountId: 'meta', name: 'Meta', plan: 'payg', interval: 'month',
      additionalFields: { metadata: '{"stripeCustomer": "cus_1"}' },
    });
    expect(created.json[0]).toMatchObject({ metadata: { stripeCustomer: 'cus_1' } });
    const updated = await run({ resource: 'account', operation: 'update', accountId: 'meta', updateFields: { metadata: '{"stripeSource": "card_1"}' } });
    expect(updated.json[0]).toMatchObject({ metadata: { stripeCustomer: 'cus_1', stripeSource: 'card_1' } });
  });

  test("an account's locale and time zone are set on create and changed on update; a language without texts fails under the Locale label", async () => {
    const created = await run({
      resource: 'account', operation: 'create', accountId: 'praxis', name: 'Praxis', plan: 'payg', interval: 'month',
      additionalFields: { locale: 'de-DE', timeZone: 'Europe/Berlin' },
    });
    expect(created.json[0]).toMatchObject({ id: 'praxis', locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const updated = await run({ resource: 'account', operation: 'update', accountId: 'praxis', updateFields: { locale: 'de-AT', timeZone: 'Europe/Vienna' } });
    expect(updated.json[0]).toMatchObject({ locale: 'de-AT', timeZone: 'Europe/Vienna' });
    const french = await run({ resource: 'account', operation: 'update', accountId: 'praxis', updateFields: { locale: 'fr-FR' } });
    expect(french.error?.message).toMatch(/^Update Fields → Locale: must be a German or English BCP 47 locale/);
  });
});

describe('errors', () => {
  test("a server error fails the node with the server's message and field", async () => {
    const bad = await run({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: 'ten', reference: 'x' });
    expect(bad.error?.message).toMatch(/^Amount: must be a decimal string/);
    expect(bad.error?.name).toBe('NodeApiError');
    expect((bad.error as { description?: string }).description).toBe('CreditMeter error code: validation_failed');
    // The server names the request's field (data.duration_seconds); the node names the parameter.
    const call = { resource: 'usage', operation: 'record', accountId: 'shop', type: 'call', durationSeconds: -5, id: 'negative', timestamp: server.clock.now().toISOString() };
    expect((await run(call)).error?.message).toMatch(/^Duration \(Seconds\): /);
    const country = { ...call, durationSeconds: 5, id: 'country', additionalFields: { destinationCountry: 'Germany' } };
    expect((await run(country)).error?.message).toMatch(/^Additional Fields → Destination Country: /);
    // data.direction is a call's Call Direction, an SMS's Direction: the label of the type shown.
    const sideways = { ...call, durationSeconds: 5, id: 'sideways', additionalFields: { callDirection: 'sideways' } };
    expect((await run(sideways)).error?.message).toMatch(/^Additional Fields → Call Direction: /);
    const missing = await run({ resource: 'account', operation: 'get', accountId: 'nobody' });
    expect(missing.error?.message).toBe("No account with id 'nobody'.");
  });

  test('a read-only key reads, and an operation that needs another scope fails naming it', async () => {
    const { key } = (await server.call('POST', '/v1/api-keys', { name: 'Reports workflow', scopes: ['read'] })).body;
    const read = await runWorkflow({ ...credentials, apiKey: key }, [node({ resource: 'balance', operation: 'get', accountId: 'shop' })]);
    expect(read.error).toBeUndefined();
    const refused = await runWorkflow({ ...credentials, apiKey: key }, [node({ resource: 'topUp', operation: 'create', accountId: 'shop', amount: '5', reference: 'scoped' })]);
    expect(refused.error?.message).toBe('POST /v1/accounts/shop/topups needs the admin scope; this key (Reports workflow) has read.');
  });

  test('a wrong API key fails clearly', async () => {
    const result = await runWorkflow({ ...credentials, apiKey: 'wrong' }, [node({ resource: 'balance', operation: 'get', accountId: 'shop' })]);
    expect(result.error?.message).toBe('CreditMeter rejected the API key: check the credential');
    expect((result.error as { description?: string }).description).toBe(
      'This API key is not known to the server: it is neither CREDITMETER_API_KEY nor a key made with POST /v1/api-keys, or it was revoked. CreditMeter error code: unauthorized',
    );
  });

  test('with "continue on fail" a bad item gets its error and the others go through', async () => {
    const result = await run(
      { resource: 'topUp', operation: 'create', accountId: 'shop', amount: '={{ $json.amount }}', reference: '={{ $json.ref }}' },
      [{ json: { amount: '5', ref: 'cof-1' } }, { json: { amount: '-5', ref: 'cof-2' } }, { json: { amount: '7', ref: 'cof-3' } }],
      { continueOnFail: true },
    );
    expect(result.error).toBeUndefined();
    expect(result.json[0]).toMatchObject({ reference: 'cof-1' });
    expect(String(result.json[1]!['error'])).toMatch(/^Amount: /);
    expect(result.json[2]).toMatchObject({ reference: 'cof-3' });
  });
});

describe('version 2', () => {
  const v2 = { typeVersion: 2 };
  const properties = new CreditMeter().description.properties;

  test('starts on a read: with nothing chosen it gets the balance, so that as an AI tool it spends nothing until told', async () => {
    expect(new CreditMeter().description.defaultVersion).toBe(3);
    const read = await run({ accountId: 'shop' }, undefined, v2);
    expect(read.error).toBeUndefined();
    expect(read.json[0]).toMatchObject({ account: 'shop', balance: expect.any(String) });
    // Version 1 keeps its defaults: workflows made with it stay as they were.
    expect(properties.filter((p) => p.name === 'resource').map((p) => p.default)).toEqual(['usage', 'balance']);
  });

  test('Get Costs takes the account every other operation takes: a cycle needs it, a custom period may span every account', async () => {
    const costs = await run({ resource: 'report', operation: 'costs', accountId: 'shop', period: 'current_cycle', groupBy: ['channel'], output: 'json' }, undefined, v2);
    expect(costs.error).toBeUndefined();
    expect(costs.json[0]).toMatchObject({ account: 'shop', groupBy: ['channel'] });
    const accountFields = properties.filter((p) => p.name === 'accountId' && (p.displayOptions?.show?.['operation'] as string[] | undefined)?.includes('costs'));
    // An ID in version 2, a picker from version 3.
    expect(accountFields.map((p) => [p.required ?? false, p.displayOptions?.show?.['period'], p.type])).toEqual([
      [true, ['previous_cycle', 'current_cycle'], 'string'],
      [true, ['previous_cycle', 'current_cycle'], 'resourceLocator'],
      [false, ['custom'], 'string'],
      [false, ['custom'], 'resourceLocator'],
    ]);
    const now = server.clock.now();
    const from = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
    const to = new Date(Date.parse(from) + 3_600_000).toISOString();
    const everyone = await run({ resource: 'report', operation: 'costs', period: 'custom', from, to, groupBy: [], output: 'json' }, undefined, v2);
    expect(everyone.error).toBeUndefined();
    expect(everyone.json[0]).toMatchObject({ account: null });
  });

  test("Record Event offers each type's own fields and the report dimensions every type has", () => {
    const offered = (type: string) =>
      (properties.find((p) => p.name === 'additionalFields' && (p.displayOptions?.show?.['type'] as string[] | undefined)?.includes(type))?.options ?? []).map(
        (o) => (o as { name: string }).name,
      );
    expect(offered('call')).toEqual(['answered', 'assistant', 'callDirection', 'campaign', 'destinationCountry', 'inputTokens', 'number', 'outputTokens', 'reservation']);
    expect(offered('chat')).toEqual(['assistant', 'campaign', 'chatConversation', 'number', 'reservation', 'toolCalls']);
    expect(offered('sms')).toEqual(['assistant', 'campaign', 'number', 'reservation', 'segments']);
    expect(offered('whatsapp')).toEqual(['assistant', 'campaign', 'inputTokens', 'number', 'outputTokens', 'reservation']);
    expect(offered('ai_conversation')).toEqual(['assistant', 'campaign', 'number', 'reservation']);
  });

  test('Authorization → Check and Reservation → Create and Extend take the typed fields Record Event takes', async () => {
    // Without tokens, a minute counts 750 each way: 95 + 221.25 + 442.5 (as with the JSON).
    const typical = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', durationSeconds: 60 }, undefined, v2);
    expect(typical.error).toBeUndefined();
    expect(typical.json[0]).toMatchObject({ allowed: true, estimatedCost: '758.75' });
    const silent = { resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', durationSeconds: 60, estimateFields: { inputTokens: 0, outputTokens: 0 } };
    expect((await run(silent, undefined, v2)).json[0]).toMatchObject({ estimatedCost: '95' });
    const sms = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'sms', direction: 'outbound', text: 'x'.repeat(161) }, undefined, v2);
    expect(sms.json[0]).toMatchObject({ estimatedCost: '5000' });

    const reserve = { resource: 'reservation', operation: 'create', accountId: 'shop', type: 'call', durationSeconds: 300, estimateFields: { inputTokens: 0, outputTokens: 0 }, options: { ttlSeconds: 120 } };
    const created = await run(reserve, undefined, v2);
    expect(created.json[0]).toMatchObject({ status: 'active', held: '475' });
    const reservationId = created.json[0]!['id'] as string;
    const extend = { resource: 'reservation', operation: 'extend', accountId: 'shop', reservationId, type: 'call', durationSeconds: 60, estimateFields: { inputTokens: 0, outputTokens: 0 }, options: {} };
    expect((await run(extend, undefined, v2)).json[0]).toMatchObject({ held: '570' });
    await run({ resource: 'reservation', operation: 'release', accountId: 'shop', reservationId }, undefined, v2);
    // JSON stays available.
    const json = await run({ resource: 'authorization', operation: 'check', accountId: 'shop', type: 'call', estimateInput: 'json', usageData: '{"duration_seconds": 60, "input_tokens": 0, "output_tokens": 0}' }, undefined, v2);
    expect(json.json[0]).toMatchObject({ estimatedCost: '95' });
  });

  test("Plan and Add-On offer the server's catalog as lists; a wrong key says so", async () => {
    expect(await loadOptions(credentials, 'getPlans')).toEqual([
      { name: 'Growth', value: 'growth', description: 'growth, prepaid' },
      { name: 'Pay as you go', value: 'payg', description: 'payg, prepaid' },
      { name: 'Starter', value: 'starter', description: 'starter, prepaid' },
    ]);
    expect(await loadOptions(credentials, 'getAddOns')).toEqual([{ name: 'Extra credits (50,000)', value: 'extra_credits_50k', description: 'extra_credits_50k, 20 a pack' }]);
    await expect(loadOptions({ ...credentials, apiKey: 'wrong' }, 'getPlans')).rejects.toThrow('CreditMeter rejected the API key: check the credential');
    const pickers = properties.filter((p) => ['plan', 'targetPlan', 'addOn'].includes(p.name));
    expect(pickers.map((p) => [p.name, p.type, p.typeOptions?.loadOptionsMethod])).toEqual([
      ['plan', 'options', 'getPlans'],
      ['addOn', 'options', 'getAddOns'],
      ['targetPlan', 'options', 'getPlans'],
    ]);
  });

  test('operations are in alphabetical order, actions are verbs', () => {
    const operations = properties.filter((p) => p.name === 'operation');
    for (const operation of operations) {
      const names = (operation.options as { name: string }[]).map((o) => o.name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    }
    const report = operations.find((p) => (p.displayOptions?.show?.['resource'] as string[]).includes('report'))!;
    expect((report.options as { name: string }[]).map((o) => o.name)).toEqual(['Explain Charge', 'Find Spikes', 'Forecast', 'Get Costs']);
  });
});

describe('version 3', () => {
  const v3 = { typeVersion: 3 };
  const properties = new CreditMeter().description.properties;
  const picked = (id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: id });

  test('every operation that takes an existing account picks it from the server\'s list or takes its ID; Create takes a new ID', () => {
    const accounts = properties.filter((p) => p.name === 'accountId' && ((p.displayOptions?.show?.['@version'] ?? []) as unknown[]).some((v) => typeof v === 'object'));
    expect(accounts.length).toBeGreaterThan(10);
    for (const account of accounts) {
      expect(account).toMatchObject({ type: 'resourceLocator', displayName: 'Account' });
      expect(account.modes!.map((m) => [m.name, m.typeOptions?.searchListMethod])).toEqual([['list', 'searchAccounts'], ['id', undefined]]);
    }
    const create = properties.filter((p) => p.name === 'accountId' && (p.displayOptions?.show?.['operation'] as string[]).includes('create') && (p.displayOptions?.show?.['resource'] as string[]).includes('account'));
    expect(create.map((p) => [p.type, p.displayOptions?.show?.['@version']])).toEqual([['string', undefined]]);
  });

  test('the Account list searches the server by ID or name', async () => {
    await server.call('POST', '/v1/accounts', { id: 'bakery-7', name: 'Bäckerei Schmidt', plan: 'payg' });
    const found = await searchList(credentials, 'schmidt');
    expect(found).toEqual({ results: [{ name: 'Bäckerei Schmidt (bakery-7)', value: 'bakery-7' }] });
    const all = await searchList(credentials);
    expect(all.results.map((r) => r.value)).toEqual(expect.arrayContaining(['bakery-7', 'shop']));
    expect(all.paginationToken).toBeUndefined();
    await expect(searchList({ ...credentials, apiKey: 'wrong' }, 'x')).rejects.toThrow('CreditMeter rejected the API key: check the credential');
  });

  test('an account picked from the list is the account of the request', async () => {
    const balance = await run({ resource: 'balance', operation: 'get', accountId: picked('shop') }, undefined, v3);
    expect(balance.error).toBeUndefined();
    expect(balance.json[0]).toMatchObject({ account: 'shop' });
    const byId = await run({ resource: 'balance', operation: 'get', accountId: { __rl: true, mode: 'id', value: 'shop' } }, undefined, v3);
    expect(byId.json[0]).toMatchObject({ account: 'shop' });
    const missing = await run({ resource: 'balance', operation: 'get', accountId: picked('nobody') }, undefined, v3);
    expect(missing.error?.message).toMatch(/nobody/);
  });

  test('Record Event with no time given is stamped by the server, and a retried execution (another execution id) is a duplicate', async () => {
    const record = { resource: 'usage', operation: 'record', accountId: picked('shop'), type: 'call', durationSeconds: 60, additionalFields: { inputTokens: 0, outputTokens: 0 } };
    const item = [{ json: { call: 'retry-me' } }];
    const first = await run(record, item, v3, 'execution-1');
    expect(first.error).toBeUndefined();
    expect(first.json[0]).toMatchObject({ status: 'accepted', cost: '95' });
    server.clock.advance(60_000);
    const retried = await run(record, item, v3, 'execution-2');
    expect(retried.json[0]).toMatchObject({ status: 'duplicate', id: first.json[0]!['id'], cost: '95' });
    const stored = await server.call('GET', `/v1/events/${first.json[0]!['id']}?account=shop`);
    expect(stored.body.timestamp).toBe(new Date(server.clock.now().getTime() - 60_000).toISOString());
  });

  test('version 2 left at its default time ($now) is retried safely too; a time given is sent', async () => {
    const record = { resource: 'usage', operation: 'record', accountId: 'shop', type: 'call', durationSeconds: 30, additionalFields: { inputTokens: 0, outputTokens: 0 } };
    const item = [{ json: { call: 'retry-me-v2' } }];
    const first = await run(record, item, { typeVersion: 2 }, 'execution-3');
    expect(first.json[0]).toMatchObject({ status: 'accepted', cost: '47.5' });
    server.clock.advance(60_000);
    expect((await run(record, item, { typeVersion: 2 }, 'execution-4')).json[0]).toMatchObject({ status: 'duplicate', cost: '47.5' });
    const at = new Date(server.clock.now().getTime() - 10_000).toISOString();
    const timed = await run({ ...record, id: 'timed-v2', timestamp: at }, item, { typeVersion: 2 });
    expect(timed.json[0]).toMatchObject({ status: 'accepted' });
    expect((await server.call('GET', '/v1/events/timed-v2?account=shop')).body.timestamp).toBe(at);
  });

  test("the event types, meters and alert rules offered are the server's", async () => {
    expect(await loadOptions(credentials, 'getEventTypes')).toEqual([
      { name: 'Call', value: 'call' },
      { name: 'Chat', value: 'chat' },
      { name: 'SMS', value: 'sms' },
      { name: 'WhatsApp', value: 'whatsapp' },
    ]);
    // The credits preset counts no allowances; the minutes preset counts minutes.
    expect(await loadOptions(credentials, 'getMeters')).toEqual([]);
    const minutes = await startTestServer('pglite', { catalog: 'minutes' });
    try {
      const minutesCredentials = { baseUrl: minutes.url, apiKey: minutes.apiKey };
      expect(await loadOptions(minutesCredentials, 'getMeters')).toEqual([{ name: 'minutes', value: 'minutes', description: 'Counted in minutes' }]);
      expect(await loadOptions(minutesCredentials, 'getEventTypes')).toEqual([{ name: 'Call', value: 'call' }]);
    } finally {
      await minutes.stop();
    }
    const rule = (await server.call('POST', '/v1/alert-rules', { account: 'shop', kind: 'balance_below', thresholds: ['250'] })).body;
    const rules = await loadOptions(credentials, 'getAlertRules');
    expect(rules).toContainEqual({ name: 'shop: Balance below: 250', value: rule.id, description: 'Balance below: 250' });
    const types = properties.filter((p) => p.name === 'type' && p.typeOptions?.loadOptionsMethod);
    expect(types.map((p) => (p.displayOptions?.show?.['resource'] as string[])[0])).toEqual(['authorization', 'reservation', 'reservation', 'usage']);
  });
});
