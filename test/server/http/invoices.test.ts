// Invoices of closed cycles, on both stores. Minutes preset (DOMAIN.md model 1, postpaid EUR, plan
// fees billed in arrears with the minutes): Starter 59 EUR a month with 500 included minutes, then 0.12 EUR a minute per second; a carrier
// surcharge of 0.03 EUR a minute to the US; Business 199 EUR; pay as you go 0.15 EUR a minute.
// VAT 19% unless the account says otherwise.
import { recordCall, seedDentalStudio } from '../support/dentalStudio';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('invoices on %s', (store) => {
  let server: TestServer;
  const invoicesOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    // March for 'dental': 550 minutes (50 beyond the allowance), 90 seconds to the US, a US number from the 10th.
    await seedDentalStudio(server);
    await server.call('PATCH', '/v1/accounts/dental', { billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE', vatId: 'DE123456789' } });
    server.clock.set('2026-03-01T00:00:00Z');
    await server.call('POST', '/v1/accounts', {
      id: 'agency', name: 'Agentur Wien', plan: 'business', anchor: '2026-03-01T00:00:00Z',
      billing: { address: ['Ring 1', '1010 Wien'], country: 'AT', vatId: 'ATU12345678', reverseCharge: true },
    });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'payg', anchor: '2026-03-01T00:00:00Z', billing: { taxRate: '7', paymentTermsDays: 30 } });
    server.clock.set('2026-03-20T12:00:00Z');
    const clinicCall = await server.call('POST', '/v1/events', { id: 'c1', account: 'clinic', type: 'call', timestamp: '2026-03-20T10:00:00Z', data: { duration_seconds: 600 } });
    expect(clinicCall.body.cost).toBe('1.5');
    server.clock.set('2026-04-01T00:00:01Z');
    for (const account of ['dental', 'agency', 'clinic']) expect((await server.call('POST', `/v1/accounts/${account}/cycles/close`)).status).toBe(200);
  });
  afterAll(() => server.stop());

  test("March's invoice: the plan, the overage by service, the number's rent, VAT 19%, each line rounded once", async () => {
    const [invoice] = await invoicesOf('dental');
    expect(invoice).toMatchObject({
      number: 'CM-2026-000001',
      account: 'dental',
      kind: 'cycle',
      issuedAt: '2026-04-01T00:00:01.000Z',
      period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      currency: 'EUR',
      seller: { name: 'Example Voice AI GmbH', vatId: 'DE000000000' },
      buyer: { name: 'Dental Studio Mitte', address: ['Torstraße 1', '10119 Berlin'], country: 'DE', vatId: 'DE123456789' },
      status: 'open',
    });
    expect(invoice.lines).toEqual([
      { description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: '1', unit: 'month', unitPrice: '59', net: '59.00', taxRate: '19' },
      // 3,000 seconds beyond the allowance plus the 90-second US call: 51.5 minutes at 0.12.
      { description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '51.5', unit: 'minute', unitPrice: '0.12', net: '6.18', taxRate: '19' },
      // 1.5 minutes at 0.03 = 0.045, half up to 0.05.
      { description: 'Carrier surcharge, 2026-03-01 – 2026-03-31', quantity: '1.5', unit: 'minute', unitPrice: '0.03', net: '0.05', taxRate: '19' },
      { description: 'Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31', quantity: '1', unit: 'rent', unitPrice: '0.8', net: '0.80', taxRate: '19' },
      // What the plan covered, at 0.00: the 500 included minutes (of 550 used), after the charged lines.
      { description: 'Included minutes, 2026-03-01 – 2026-03-31: 500 of 500 minutes used', quantity: '500', unit: 'minute', unitPrice: '0', net: '0.00', taxRate: '19' },
    ]);
    // 59.00 + 6.18 + 0.05 + 0.80 = 66.03; 19% = 12.5457 → 12.55; 78.58.
    expect(invoice).toMatchObject({ net: '66.03', tax: '12.55', gross: '78.58', taxes: [{ rate: '19', net: '66.03', tax: '12.55' }], notes: [] });
  });

  test('an invoice is due after the payment terms (the catalog\'s 14 days, or the account\'s own), names the customer number and where to pay', async () => {
    const [dental] = await invoicesOf('dental');
    expect(dental.dueAt).toBe('2026-04-15T00:00:01.000Z');
    expect(dental.buyer.customerNumber).toBe('dental');
    expect(dental.seller).toMatchObject({
      taxNumber: '37/000/00000',
      register: 'Amtsgericht Berlin-Charlottenburg, HRB 000000 B',
      managingDirectors: ['Erika Mustermann'],
      bank: { accountHolder: 'Example Voice AI GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bank: 'Commerzbank' },
    });
    expect((await invoicesOf('clinic'))[0].dueAt).toBe('2026-05-01T00:00:01.000Z');
    const page = await fetch(`${server.url}/v1/invoices/${dental.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    expect(page).toContain('<div>Due 2026-04-15</div><div>Customer number dental</div>');
    expect(page).toContain('Please pay 78.58 EUR by 2026-04-15 to Example Voice AI GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX (Commerzbank), quoting CM-2026-000001.');
    expect(page).toContain('Amtsgericht Berlin-Charlottenburg, HRB 000000 B · Managing director: Erika Mustermann');
    expect(page).toContain('Tax number 37/000/00000 · VAT ID DE000000000');
  });

  test('payment terms outside 0 to 365 whole days are refused, naming the field', async () => {
    expect(await server.call('PATCH', '/v1/accounts/clinic', { billing: { paymentTermsDays: 366 } })).toMatchObject({ status: 422, body: { error: { field: 'billing.paymentTermsDays' } } });
    expect(await server.call('PATCH', '/v1/accounts/clinic', { billing: { paymentTermsDays: 1.5 } })).toMatchObject({ status: 422, body: { error: { field: 'billing.paymentTermsDays' } } });
  });

  test("the invoice settles March's accrued charges; April starts with its own number rent", async () => {
    const balance = (await server.call('GET', '/v1/accounts/dental/balance')).body.balance;
    expect(balance).toBe('-1.15');
    const ledger = (await server.call('GET', '/v1/accounts/dental/ledger?limit=500')).body.entries as { kind: string; amount: string; description: string }[];
    expect(ledger.filter((e) => e.kind === 'settlement').map((e) => [e.amount, e.description])).toEqual([['7.025', 'Invoice CM-2026-000001']]);
    const cycles = (await server.call('GET', '/v1/accounts/dental/cycles')).body.closings;
    expect(cycles[0].invoice).toBe((await invoicesOf('dental'))[0].id);
  });

  test('a reverse-charge buyer gets no VAT and the note; an account rate of 7% is used instead of 19%', async () => {
    const [agency] = await invoicesOf('agency');
    expect(agency).toMatchObject({ number: 'CM-2026-000002', net: '199.00', tax: '0.00', gross: '199.00', taxes: [{ rate: '0', net: '199.00', tax: '0.00' }] });
    expect(agency.notes).toEqual(['Reverse charge: VAT is owed by the recipient (Article 196, Council Directive 2006/112/EC).']);
    // Pay as you go has no fee: ten minutes at 0.15 = 1.50; 7% = 0.105 → 0.11.
    const [clinic] = await invoicesOf('clinic');
    expect(clinic).toMatchObject({ number: 'CM-2026-000003', net: '1.50', tax: '0.11', gross: '1.61' });
    expect(clinic.lines).toEqual([{ description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '10', unit: 'minute', unitPrice: '0.15', net: '1.50', taxRate: '7' }]);
  });

  test('the rental, the closing and the invoice are announced as webhooks', async () => {
    const messages = await server.db.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM outbox_messages WHERE account_id = 'dental' AND type IN ('number.rented', 'cycle.closed', 'invoice.created') ORDER BY occurred_at, id`,
    );
    const byType = new Map(messages.map((m) => [m.type, m.data]));
    expect([...byType.keys()].sort()).toEqual(['cycle.closed', 'invoice.created', 'number.rented']);
    expect(byType.get('number.rented')).toMatchObject({ number: '+12125550123', firstCharge: '0.8', accountStatus: 'active' });
    expect(byType.get('cycle.closed')).toMatchObject({ cycle: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, rentsCharged: '1.15', balance: '-1.15' });
    expect(byType.get('invoice.created')).toMatchObject({ number: 'CM-2026-000001', gross: '78.58', currency: 'EUR' });
  });

  test('a closed cycle is invoiced once, whatever asks to close it again', async () => {
    expect((await server.call('POST', '/v1/accounts/dental/cycles/close')).body.closed).toEqual([]);
    expect(await invoicesOf('dental')).toHaveLength(1);
  });

  test('a failed payment shows on the invoice and the account until a payment succeeds', async () => {
    const [invoice] = await invoicesOf('dental');
    const failed = await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed', reason: 'card_declined', reference: 'pi_1' });
    expect(failed.body).toMatchObject({ status: 'failed', payments: [{ status: 'failed', reason: 'card_declined', reference: 'pi_1', at: '2026-04-01T00:00:01.000Z' }] });
    expect((await server.call('GET', '/v1/accounts/dental')).body.paymentIssue).toEqual({ invoice: invoice.id, number: 'CM-2026-000001', reason: 'card_declined', at: '2026-04-01T00:00:01.000Z' });
    const html = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    expect(html).toContain('Payment failed on 2026-04-01: card declined');

    const [announced] = await server.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM outbox_messages WHERE type = 'invoice.payment_failed'`);
    expect(announced!.data).toMatchObject({ invoice: invoice.id, reason: 'card_declined', attempts: 1 });

    const paid = await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'paid', reference: 'pi_2' });
    expect(paid.body.status).toBe('paid');
    expect(paid.body.payments).toHaveLength(2);
    expect((await server.call('GET', '/v1/accounts/dental')).body.paymentIssue).toBeNull();
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'paid' })).toMatchObject({ status: 422, body: { error: { code: 'invoice_paid' } } });
  });

  test('bad payments and unknown invoices are refused clearly', async () => {
    const [invoice] = await invoicesOf('agency');
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed', reason: 'stolen' })).body.error.field).toBe('reason');
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'maybe' })).body.error.field).toBe('status');
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed' })).body.error.field).toBe('reason');
    expect((await server.call('GET', '/v1/invoices/inv_nope')).status).toBe(404);
    expect((await server.call('PATCH', '/v1/accounts/agency', { billing: { taxRate: 'nineteen' } })).body.error.field).toBe('billing.taxRate');
  });

  test('the invoice as a page and as a PDF', async () => {
    const [invoice] = await invoicesOf('dental');
    const auth = { authorization: `Bearer ${server.apiKey}` };
    const html = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: auth });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await html.text();
    for (const text of ['CM-2026-000001', 'Service period 2026-03-01 – 2026-03-31', 'Dental Studio Mitte', 'VAT ID DE123456789', '66.03 EUR', '12.55 EUR', '78.58 EUR', 'Torstraße 1']) {
      expect(page).toContain(text);
    }
    const pdf = await fetch(`${server.url}/v1/invoices/${invoice.id}.pdf`, { headers: auth });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('CM-2026-000001.pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1500);
  });
});

describe('invoices of a prepaid credits plan', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('bill the plan up front, when each cycle starts; its credits paid for the usage already', async () => {
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
    const [opening] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
    // 49 EUR; 19% = 9.31; 58.31.
    expect(opening).toMatchObject({ kind: 'opening', issuedAt: '2026-03-01T00:00:00.000Z', period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, net: '49.00', tax: '9.31', gross: '58.31' });
    expect(opening.lines).toEqual([{ description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: '1', unit: 'month', unitPrice: '49', net: '49.00', taxRate: '19' }]);

    server.clock.set('2026-03-05T00:00:00Z');
    await server.call('POST', '/v1/events', { id: 'k1', account: 'shop', type: 'call', timestamp: '2026-03-04T10:00:00Z', data: { duration_seconds: 90 } });
    server.clock.set('2026-04-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/cycles/close');
    const [april] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
    expect(april).toMatchObject({ kind: 'cycle', issuedAt: '2026-04-01T00:00:00.000Z', net: '49.00', gross: '58.31' });
    expect(april.lines).toEqual([{ description: 'Starter plan, 2026-04-01 – 2026-04-30', quantity: '1', unit: 'month', unitPrice: '49', net: '49.00', taxRate: '19' }]);
  });

  test('pay as you go with no fee gets no invoice', async () => {
    await server.call('POST', '/v1/accounts', { id: 'free', name: 'Free', plan: 'payg', anchor: '2026-03-01T00:00:00Z' });
    server.clock.set('2026-05-01T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/free/cycles/close')).body.closed).toHaveLength(1);
    expect((await server.call('GET', '/v1/accounts/free/invoices')).body.invoices).toEqual([]);
  });
});
