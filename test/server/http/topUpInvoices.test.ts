// Invoices for top-ups, on both stores. Credits preset (DOMAIN.md model 2): credits sell at 0.40 EUR
// per 1,000, net; the seller is in Berlin and bills 19% VAT; a business buyer elsewhere in the EU
// owes the VAT itself (reverse charge). Invoices are due 14 days after issue.
import { REVERSE_CHARGE_NOTE } from '../../../server/src/domain/invoice/Invoice';
import { pdfPages } from '../support/pdfText';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const NOW = '2026-03-10T09:00:00.000Z';

describe.each(STORES)('top-up invoices on %s', (store) => {
  let server: TestServer;
  let firstInvoice: any;

  const topUp = (account: string, body: object) => server.call('POST', `/v1/accounts/${account}/topups`, body);
  const invoicesOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices as any[];
  const count = async (table: string) => (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const invoiceMessages = () => server.db.query<{ data: any }>(`SELECT data FROM outbox_messages WHERE type = 'invoice.created' ORDER BY occurred_at, id`);

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', {
      id: 'berlin',
      name: 'Anna Schmidt',
      plan: 'payg',
      anchor: '2026-03-01T00:00:00Z',
      billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE' },
    });
    await server.call('POST', '/v1/accounts', {
      id: 'paris',
      name: 'Agence Paris SARL',
      plan: 'payg',
      anchor: '2026-03-01T00:00:00Z',
      billing: { address: ['1 rue de Rivoli', '75001 Paris'], country: 'FR', vatId: 'FR12345678901', reverseCharge: true },
    });
    server.clock.set(NOW);
  });
  afterAll(() => server.stop());

  test('a credits top-up of 250,000 paid 100.00 EUR net issues its invoice at once: 19.00 VAT, 119.00, paid with the reference', async () => {
    const made = await topUp('berlin', { amount: '250000', reference: 'pi_berlin_1', paid: { net: '100.00', currency: 'EUR' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ amount: '250000', balance: '250000', duplicate: false });
    expect(made.body.invoice).toEqual({
      id: expect.stringMatching(/^inv_/),
      number: 'CM-2026-000001',
      currency: 'EUR',
      net: '100.00',
      tax: '19.00',
      gross: '119.00',
    });

    firstInvoice = (await server.call('GET', `/v1/invoices/${made.body.invoice.id}`)).body;
    expect(firstInvoice).toMatchObject({
      number: 'CM-2026-000001',
      account: 'berlin',
      kind: 'topup',
      issuedAt: NOW,
      // A top-up is supplied at an instant: its period starts and ends there.
      period: { start: NOW, end: NOW },
      dueAt: '2026-03-24T09:00:00.000Z',
      currency: 'EUR',
      seller: { name: 'Example Voice AI GmbH', vatId: 'DE000000000' },
      buyer: { name: 'Anna Schmidt', address: ['Torstraße 1', '10119 Berlin'], country: 'DE', customerNumber: 'berlin' },
      lines: [{ description: 'Credits top-up, 250,000 credits', quantity: '1', unit: 'top-up', unitPrice: '100', net: '100.00', taxRate: '19' }],
      taxes: [{ rate: '19', net: '100.00', tax: '19.00' }],
      net: '100.00',
      tax: '19.00',
      gross: '119.00',
      notes: [],
      status: 'paid',
      payments: [{ status: 'paid', reference: 'pi_berlin_1', at: NOW }],
    });
    expect((await invoiceMessages()).map((m) => m.data)).toEqual([
      {
        account: 'berlin',
        invoice: made.body.invoice.id,
        number: 'CM-2026-000001',
        kind: 'topup',
        period: { start: NOW, end: NOW },
        currency: 'EUR',
        net: '100.00',
        tax: '19.00',
        gross: '119.00',
        links: {
          account: '/v1/accounts/berlin',
          balance: '/v1/accounts/berlin/balance',
          ledger: '/v1/accounts/berlin/ledger',
          invoice: `/v1/invoices/${made.body.invoice.id}`,
          pdf: `/v1/invoices/${made.body.invoice.id}.pdf`,
        },
      },
    ]);
  });

  test('a business buyer in another EU country: the same top-up bills no VAT and says why', async () => {
    const made = await topUp('paris', { amount: '250000', reference: 'pi_paris_1', paid: { net: '100.00', currency: 'EUR' } });
    expect(made.body.invoice).toMatchObject({ number: 'CM-2026-000002', net: '100.00', tax: '0.00', gross: '100.00' });
    const [invoice] = await invoicesOf('paris');
    expect(invoice).toMatchObject({
      kind: 'topup',
      buyer: { name: 'Agence Paris SARL', country: 'FR', vatId: 'FR12345678901' },
      lines: [{ description: 'Credits top-up, 250,000 credits', net: '100.00', taxRate: '0' }],
      taxes: [{ rate: '0', net: '100.00', tax: '0.00' }],
      notes: [REVERSE_CHARGE_NOTE],
      status: 'paid',
    });
  });

  test('the same reference again issues nothing and answers the same invoice; with another net paid it is a conflict', async () => {
    const again = await topUp('berlin', { amount: '250000', reference: 'pi_berlin_1', paid: { net: '100.00', currency: 'EUR' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, balance: '250000', invoice: { id: firstInvoice.id, number: 'CM-2026-000001', gross: '119.00' } });
    // Sent again without what was paid (a retry that lost it): the same answer.
    expect((await topUp('berlin', { amount: '250000', reference: 'pi_berlin_1' })).body).toMatchObject({
      duplicate: true,
      invoice: { number: 'CM-2026-000001' },
    });
    expect(await topUp('berlin', { amount: '250000', reference: 'pi_berlin_1', paid: { net: '90.00', currency: 'EUR' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_conflict', field: 'paid.net' } },
    });
    expect((await invoicesOf('berlin')).map((i) => i.number)).toEqual(['CM-2026-000001']);
    expect(await invoiceMessages()).toHaveLength(2);
  });

  test('a top-up without payment is a grant, as before: no invoice; invoice: true bills it at 0.40 EUR per 1,000, open until paid', async () => {
    const grant = await topUp('berlin', { amount: '1000', reference: 'goodwill' });
    expect(grant).toMatchObject({ status: 201, body: { balance: '251000', invoice: null } });
    expect(await invoicesOf('berlin')).toHaveLength(1);

    // 250,000 credits at 0.40 EUR per 1,000: 100.00 EUR net.
    const billed = await topUp('berlin', { amount: '250000', reference: 'bank-transfer-7', invoice: true });
    expect(billed.body.invoice).toMatchObject({ number: 'CM-2026-000003', net: '100.00', tax: '19.00', gross: '119.00' });
    const invoice = (await server.call('GET', `/v1/invoices/${billed.body.invoice.id}`)).body;
    expect(invoice).toMatchObject({
      status: 'open',
      payments: [],
      dueAt: '2026-03-24T09:00:00.000Z',
      lines: [{ description: 'Credits top-up, 250,000 credits', net: '100.00' }],
    });
    const page = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    expect(page).toContain('Please pay 119.00 EUR by 2026-03-24');
  });

  test('paid in another currency is refused naming paid.currency, as is a malformed paid, and nothing is written', async () => {
    const tables = ['topups', 'invoices', 'ledger_entries', 'grants', 'outbox_messages'];
    const before = await Promise.all(tables.map(count));
    const sequence = async () => (await server.db.query<{ last: string }>(`SELECT last::text AS last FROM invoice_sequences`))[0]!.last;
    const lastNumber = await sequence();
    expect(await topUp('berlin', { amount: '250000', reference: 'pi_usd', paid: { net: '100.00', currency: 'USD' } })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', field: 'paid.currency', message: 'must be EUR, the currency the catalog invoices in' } },
    });
    // A replay in another currency is refused too, before its first top-up is read.
    expect(await topUp('berlin', { amount: '250000', reference: 'pi_berlin_1', paid: { net: '100.00', currency: 'USD' } })).toMatchObject({
      status: 422,
      body: { error: { field: 'paid.currency' } },
    });
    for (const [paid, field] of [
      [{ net: '0', currency: 'EUR' }, 'paid.net'],
      [{ net: '-1.00', currency: 'EUR' }, 'paid.net'],
      [{ net: '100.001', currency: 'EUR' }, 'paid.net'],
      [{ net: 100, currency: 'EUR' }, 'paid.net'],
      [{ currency: 'EUR' }, 'paid.net'],
      [{ net: '100.00', currency: 'eur' }, 'paid.currency'],
      [{ net: '100.00' }, 'paid.currency'],
      [{ net: '100.00', currency: 'EUR', card: 'visa' }, 'paid.card'],
    ] as const) {
      expect(await topUp('berlin', { amount: '250000', reference: 'pi_bad', paid })).toMatchObject({
        status: 422,
        body: { error: { code: 'validation_failed', field } },
      });
    }
    expect(await topUp('berlin', { amount: '250000', reference: 'pi_bad', paid: { net: '100.00', currency: 'EUR' }, invoice: false })).toMatchObject({
      status: 422,
      body: { error: { field: 'invoice' } },
    });
    expect(await topUp('berlin', { amount: '250000', reference: 'pi_bad', invoice: 'yes' })).toMatchObject({
      status: 422,
      body: { error: { field: 'invoice' } },
    });
    expect(await Promise.all(tables.map(count))).toEqual(before);
    expect(await sequence()).toBe(lastNumber);
  });

  test("a paid top-up request's top-up is invoiced at the request's price, as paid with the request's id", async () => {
    const asked = await server.call('POST', '/v1/accounts/berlin/topup-requests', { amount: '50000' });
    expect(asked.body.price).toEqual({ net: '20.00', currency: 'EUR' });
    const made = await topUp('berlin', { amount: '50000', reference: asked.body.id });
    // 50,000 credits: 20.00 net, 19% VAT 3.80, 23.80; the next number, no gap.
    expect(made.body.invoice).toMatchObject({ number: 'CM-2026-000004', net: '20.00', tax: '3.80', gross: '23.80' });
    const invoice = (await server.call('GET', `/v1/invoices/${made.body.invoice.id}`)).body;
    expect(invoice).toMatchObject({
      lines: [{ description: 'Credits top-up, 50,000 credits', net: '20.00' }],
      status: 'paid',
      payments: [{ status: 'paid', reference: asked.body.id, at: NOW }],
    });
    expect((await server.call('GET', `/v1/topup-requests/${asked.body.id}`)).body.status).toBe('paid');
  });

  test('an auto-recharge request names what to charge with VAT; its top-up with the net paid is invoiced', async () => {
    await server.call('POST', '/v1/accounts', { id: 'munich', name: 'Café München', plan: 'payg', anchor: '2026-03-01T00:00:00Z', billing: { country: 'DE' } });
    await topUp('munich', { amount: '2000', reference: 'opening' });
    await server.call('PUT', '/v1/accounts/munich/auto-recharge', {
      enabled: true,
      threshold: '1000',
      amount: '100000',
      monthlyLimit: '500000',
      timeoutMinutes: 30,
    });
    // 30,000 chat input tokens at 40 credits per 1,000: 1,200 credits, leaving 800, below 1,000.
    const chat = { id: 'chat-1', account: 'munich', type: 'chat', timestamp: NOW, data: { input_tokens: 30000, output_tokens: 0 } };
    expect((await server.call('POST', '/v1/events', chat)).status).toBe(201);
    const [requested] = await server.db.query<{ data: any }>(`SELECT data FROM outbox_messages WHERE type = 'recharge.requested' AND account_id = 'munich'`);
    // 100,000 credits at 0.40 EUR per 1,000: 40.00 net, 19% VAT 7.60, 47.60 to charge.
    expect(requested!.data).toMatchObject({ amount: '100000', balance: '800', price: { net: '40.00', tax: '7.60', gross: '47.60', currency: 'EUR' } });

    const made = await topUp('munich', { amount: '100000', reference: requested!.data.reference, paid: { net: requested!.data.price.net, currency: 'EUR' } });
    expect(made.body).toMatchObject({ balance: '100800', invoice: { number: 'CM-2026-000005', net: '40.00', tax: '7.60', gross: '47.60' } });
    expect((await server.call('GET', '/v1/accounts/munich/auto-recharge')).body.openRequest).toBeNull();
  });

  test('numbers stay gapless across top-ups, replays and refusals: one invoice.created each', async () => {
    const numbers = (await server.db.query<{ number: string }>('SELECT number FROM invoices ORDER BY number')).map((r) => r.number);
    expect(numbers).toEqual(['CM-2026-000001', 'CM-2026-000002', 'CM-2026-000003', 'CM-2026-000004', 'CM-2026-000005']);
    expect((await invoiceMessages()).map((m) => [m.data.number, m.data.kind])).toEqual(numbers.map((n) => [n, 'topup']));
  });

  test("the invoice's page and PDF show the top-up's line, its date of supply and that it is paid", async () => {
    const auth = { authorization: `Bearer ${server.apiKey}` };
    const page = await fetch(`${server.url}/v1/invoices/${firstInvoice.id}.html`, { headers: auth }).then((r) => r.text());
    for (const text of [
      'CM-2026-000001',
      'Credits top-up, 250,000 credits',
      'Date of supply 2026-03-10',
      'Anna Schmidt',
      '100.00 EUR',
      '19.00 EUR',
      '119.00 EUR',
      'Paid',
    ]) {
      expect(page).toContain(text);
    }
    expect(page).not.toContain('Service period');
    expect(page).not.toContain('Please pay');
    const pdf = await fetch(`${server.url}/v1/invoices/${firstInvoice.id}.pdf`, { headers: auth });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfPages(Buffer.from(await pdf.arrayBuffer()))).join('\n');
    for (const shown of ['CM-2026-000001', 'Credits top-up, 250,000 credits', 'Date of supply 2026-03-10', '100.00 EUR', '19.00 EUR', '119.00 EUR', 'Paid']) {
      expect(text).toContain(shown);
    }
  });
});

describe.each(STORES)('top-up invoices of a balance in euros on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'conversations', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'trial', anchor: '2026-03-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('a 50 EUR top-up is a "Balance top-up" of 50.00 net, 9.50 VAT, 59.50', async () => {
    const made = await server.call('POST', '/v1/accounts/shop/topups', { amount: '50', reference: 'pi_1', invoice: true });
    expect(made).toMatchObject({ status: 201, body: { balance: '50', invoice: { number: 'CM-2026-000001', net: '50.00', tax: '9.50', gross: '59.50' } } });
    const invoice = (await server.call('GET', `/v1/invoices/${made.body.invoice.id}`)).body;
    expect(invoice.lines).toEqual([{ description: 'Balance top-up', quantity: '1', unit: 'top-up', unitPrice: '50', net: '50.00', taxRate: '19' }]);
    expect(invoice.status).toBe('open');
  });
});

describe.each(STORES)("correcting a top-up's invoice on %s", (store) => {
  let server: TestServer;
  const balance = async () => (await server.call('GET', '/v1/accounts/shop/balance')).body.balance as string;
  const ledgerCount = async () => (await server.call('GET', '/v1/accounts/shop/ledger?limit=1000')).body.entries.length as number;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-10T09:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg', billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE' } });
  });
  afterAll(() => server.stop());

  test('a credit note of half a paid top-up takes half its credits back: 50.00 of 100.00 net is 125,000 of 250,000 credits', async () => {
    const made = await server.call('POST', '/v1/accounts/shop/topups', { amount: '250000', reference: 'pi_1', paid: { net: '100.00', currency: 'EUR' } });
    const invoice = made.body.invoice.id as string;
    // To the balance it would undo itself: refused, and nothing is written.
    const before = await ledgerCount();
    const toBalance = await server.call('POST', `/v1/invoices/${invoice}/credit-notes`, { amount: '50.00', reason: 'Half refunded', refund: 'balance' });
    expect(toBalance).toMatchObject({ status: 422, body: { error: { field: 'refund' } } });
    expect(await ledgerCount()).toBe(before);

    const note = await server.call('POST', `/v1/invoices/${invoice}/credit-notes`, { amount: '50.00', reason: 'Half refunded', refund: 'external' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ net: '50.00', tax: '9.50', gross: '59.50' });
    expect(await balance()).toBe('125000');
    const ledger = (await server.call('GET', '/v1/accounts/shop/ledger?limit=1000')).body.entries;
    expect(ledger[ledger.length - 1]).toMatchObject({ kind: 'adjustment', amount: '-125000', reference: invoice, reason: 'Half refunded' });
  });

  test("an open top-up invoice's void takes its credits back; spent credits cannot be, and the void is refused", async () => {
    const open = await server.call('POST', '/v1/accounts/shop/topups', { amount: '10000', reference: 'manual-1', invoice: true });
    expect(open.body.invoice).toMatchObject({ net: '4.00' });
    expect(await balance()).toBe('135000');
    expect((await server.call('POST', `/v1/invoices/${open.body.invoice.id}/void`, { reason: 'Never paid' })).status).toBe(200);
    expect(await balance()).toBe('125000');

    const spent = await server.call('POST', '/v1/accounts/shop/topups', { amount: '1000', reference: 'manual-2', invoice: true });
    // 130,000 credits of calls (40 per 1,000 chat tokens: 3,250,000 tokens) spend the lot and more.
    await server.call('POST', '/v1/events', { id: 'big', account: 'shop', type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 3_250_000, output_tokens: 0 } });
    const before = await ledgerCount();
    const refused = await server.call('POST', `/v1/invoices/${spent.body.invoice.id}/void`, { reason: 'Never paid' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('invoice');
    expect(refused.body.error.message).toMatch(/holds only 0 credits now/);
    expect(await ledgerCount()).toBe(before);
  });
});
