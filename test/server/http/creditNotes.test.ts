// Credit notes and void invoices, on both stores. Minutes preset (DOMAIN.md model 1, postpaid EUR):
// Dental's March invoice CM-2026-000001 bills the Starter plan 59.00, 51.5 call minutes at 0.12
// (6.18), 1.5 surcharge minutes at 0.03 (0.045 → 0.05) and a number's rent 0.80: net 66.03, VAT
// 19% 12.55, gross 78.58, and settles the exact usage and rent, 7.025, from the balance. The
// agency's CM-2026-000002 is Business 199.00 under the reverse charge; the clinic's CM-2026-000003
// bills ten pay-as-you-go minutes, 1.50 at 7% (0.11): 1.61, settling 1.5.
import { pdfPages } from '../support/pdfText';
import { seedDentalStudio } from '../support/dentalStudio';
import { STORES, startTestServer, type TestServer } from '../support/servers';

type Entry = { kind: string; amount: string; reference: string | null; reason: string | null; keyId: string | null; description: string };

describe.each(STORES)('credit notes and void invoices on %s', (store) => {
  let server: TestServer;
  const invoiceOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices[0];
  const ledgerOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/ledger?limit=500`)).body.entries as Entry[];
  const outbox = (type: string) => server.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM outbox_messages WHERE type = $1 ORDER BY occurred_at, id`, [type]);
  const counts = async () =>
    (
      await server.db.query<{ notes: number; entries: number; messages: number }>(
        `SELECT (SELECT count(*)::int FROM credit_notes) AS notes, (SELECT count(*)::int FROM ledger_entries) AS entries, (SELECT count(*)::int FROM outbox_messages) AS messages`,
      )
    )[0];

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await seedDentalStudio(server);
    server.clock.set('2026-03-01T00:00:00Z');
    await server.call('POST', '/v1/accounts', {
      id: 'agency', name: 'Agentur Wien', plan: 'business', anchor: '2026-03-01T00:00:00Z',
      billing: { address: ['Ring 1', '1010 Wien'], country: 'AT', vatId: 'ATU12345678', reverseCharge: true },
    });
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'payg', anchor: '2026-03-01T00:00:00Z', billing: { taxRate: '7' } });
    server.clock.set('2026-03-20T12:00:00Z');
    await server.call('POST', '/v1/events', { id: 'c1', account: 'clinic', type: 'call', timestamp: '2026-03-20T10:00:00Z', data: { duration_seconds: 600 } });
    server.clock.set('2026-04-01T00:00:01Z');
    for (const account of ['dental', 'agency', 'clinic']) await server.call('POST', `/v1/accounts/${account}/cycles/close`);
    server.clock.set('2026-04-02T09:00:00Z');
  });
  afterAll(() => server.stop());

  test('a partial credit note on a 19% invoice: 10.00 net of the plan line reverses 1.90 VAT, 11.90; the invoice then asks 66.68', async () => {
    const invoice = await invoiceOf('dental');
    expect(invoice).toMatchObject({ number: 'CM-2026-000001', net: '66.03', gross: '78.58', credited: '0.00', due: '78.58', voided: null });
    const made = await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ line: 0, amount: '10.00' }], reason: 'Goodwill: a week of outage', refund: 'external' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      number: 'CM-CN-2026-000001',
      account: 'dental',
      invoice: { id: invoice.id, number: 'CM-2026-000001', issuedAt: '2026-04-01T00:00:01.000Z' },
      issuedAt: '2026-04-02T09:00:00.000Z',
      currency: 'EUR',
      lines: [{ line: 0, description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: null, unit: 'month', unitPrice: null, net: '10.00', taxRate: '19' }],
      taxes: [{ rate: '19', net: '10.00', tax: '1.90' }],
      net: '10.00',
      tax: '1.90',
      gross: '11.90',
      notes: [],
      reason: 'Goodwill: a week of outage',
      refund: 'external',
      refunded: null,
      // The plan fee was not settled from the balance: nothing to take back.
      unsettled: '0',
      keyId: 'admin',
    });
    expect(await invoiceOf('dental')).toMatchObject({ status: 'open', credited: '11.90', due: '66.68' });
    expect((await ledgerOf('dental')).filter((e) => e.reference === invoice.id).map((e) => e.kind)).toEqual(['settlement']);
    const [announced] = await outbox('credit_note.created');
    expect(announced!.data).toMatchObject({ creditNote: made.body.id, number: 'CM-CN-2026-000001', invoice: invoice.id, invoiceNumber: 'CM-2026-000001', net: '10.00', tax: '1.90', gross: '11.90', refund: 'external', refunded: null });
  });

  test('crediting settled usage takes its settlement back and gives the charges back; the next note is numbered without a gap', async () => {
    const invoice = await invoiceOf('dental');
    const balanceBefore = (await server.call('GET', '/v1/accounts/dental/balance')).body.balance;
    // 10.5 minutes at 0.12 = 1.26; 19% = 0.2394 → 0.24; 1.50.
    const made = await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ line: 1, quantity: '10.5' }], reason: 'A test call billed', refund: 'external' });
    expect(made.body).toMatchObject({ number: 'CM-CN-2026-000002', net: '1.26', tax: '0.24', gross: '1.50', unsettled: '1.26' });
    expect(made.body.lines).toEqual([{ line: 1, description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '10.5', unit: 'minute', unitPrice: '0.12', net: '1.26', taxRate: '19' }]);
    const corrections = (await ledgerOf('dental')).filter((e) => e.reference === invoice.id && e.kind !== 'settlement');
    expect(corrections.map((e) => [e.kind, e.amount, e.reason, e.keyId])).toEqual([
      ['unsettlement', '-1.26', 'A test call billed', 'admin'],
      ['void', '1.26', 'A test call billed', 'admin'],
    ]);
    expect((await server.call('GET', '/v1/accounts/dental/balance')).body.balance).toBe(balanceBefore);
    expect(await invoiceOf('dental')).toMatchObject({ credited: '13.40', due: '65.18' });
  });

  test('a credit note past what is left is refused naming the field, and writes nothing (not even a number)', async () => {
    const invoice = await invoiceOf('dental');
    const before = await counts();
    // The minutes line has 6.18 − 1.26 = 4.92 left.
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ line: 1, amount: '5.00' }], reason: 'too much', refund: 'external' })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', field: 'lines[0].amount', message: 'credits 5.00 EUR, more than the 4.92 EUR left to credit on line 1 (Call minutes, 2026-03-01 – 2026-03-31)' } },
    });
    // 66.03 − 10.00 − 1.26 = 54.77 left on the invoice.
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { amount: '54.78', reason: 'too much', refund: 'external' })).toMatchObject({
      status: 422,
      body: { error: { field: 'amount', message: 'is 54.78 EUR, more than the 54.77 EUR left to credit on the invoice' } },
    });
    expect(await counts()).toEqual(before);
    const next = await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ line: 3, amount: '0.10' }], reason: 'rent from the 11th', refund: 'external' });
    expect(next.body.number).toBe('CM-CN-2026-000003');
  });

  test('bad bodies and unknown invoices are refused clearly', async () => {
    const invoice = await invoiceOf('dental');
    const post = (body: unknown) => server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, body);
    expect((await post({ amount: '1.00', refund: 'external' })).body.error.field).toBe('reason');
    expect((await post({ amount: '1.00', reason: ' ', refund: 'external' })).body.error.field).toBe('reason');
    expect((await post({ amount: '1.00', lines: [{ line: 0, amount: '1.00' }], reason: 'x', refund: 'external' })).body.error.field).toBe('lines');
    expect((await post({ reason: 'x', refund: 'external' })).body.error.field).toBe('lines');
    expect((await post({ amount: '1.001', reason: 'x', refund: 'external' })).body.error.field).toBe('amount');
    expect((await post({ amount: '1.00', reason: 'x', refund: 'cash' })).body.error.field).toBe('refund');
    expect((await post({ lines: [{ line: 0 }], reason: 'x', refund: 'external' })).body.error.field).toBe('lines[0].quantity');
    expect((await post({ lines: [{ line: -1, amount: '1.00' }], reason: 'x', refund: 'external' })).body.error.field).toBe('lines[0].line');
    expect((await post({ lines: [{ line: 9, amount: '1.00' }], reason: 'x', refund: 'external' })).body.error).toMatchObject({ field: 'lines[0].line', message: "is 9: the invoice's lines are numbered 0 to 4" });
    // An unpaid invoice is credited against what it asks, not to the balance.
    expect((await post({ amount: '1.00', reason: 'x', refund: 'balance' })).body.error).toMatchObject({ field: 'refund' });
    expect((await server.call('POST', '/v1/invoices/inv_nope/credit-notes', { amount: '1.00', reason: 'x', refund: 'external' })).status).toBe(404);
    expect((await server.call('GET', '/v1/credit-notes/crn_nope')).status).toBe(404);
  });

  test('a reverse-charge invoice is credited without VAT, repeating the note', async () => {
    const invoice = await invoiceOf('agency');
    const made = await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { amount: '50.00', reason: 'Discount agreed', refund: 'external' });
    expect(made.body).toMatchObject({
      number: 'CM-CN-2026-000004',
      lines: [{ line: 0, net: '50.00', taxRate: '0' }],
      taxes: [{ rate: '0', net: '50.00', tax: '0.00' }],
      net: '50.00',
      tax: '0.00',
      gross: '50.00',
      notes: ['Reverse charge: VAT is owed by the recipient (Article 196, Council Directive 2006/112/EC).'],
    });
  });

  test("the invoice's credit notes oldest first, the account's newest first", async () => {
    const invoice = await invoiceOf('dental');
    const ofInvoice = (await server.call('GET', `/v1/invoices/${invoice.id}/credit-notes`)).body.creditNotes;
    expect(ofInvoice.map((n: { number: string }) => n.number)).toEqual(['CM-CN-2026-000001', 'CM-CN-2026-000002', 'CM-CN-2026-000003']);
    const ofAccount = (await server.call('GET', '/v1/accounts/dental/credit-notes')).body.creditNotes;
    expect(ofAccount.map((n: { number: string }) => n.number)).toEqual(['CM-CN-2026-000003', 'CM-CN-2026-000002', 'CM-CN-2026-000001']);
    const one = await server.call('GET', `/v1/credit-notes/${ofInvoice[0].id}`);
    expect(one.body).toMatchObject({ number: 'CM-CN-2026-000001', links: { creditNote: `/v1/credit-notes/${ofInvoice[0].id}`, pdf: `/v1/credit-notes/${ofInvoice[0].id}.pdf`, invoice: `/v1/invoices/${invoice.id}` } });
  });

  test('the credit note as a PDF and a page: titled Credit note, naming the invoice, its figures negative', async () => {
    const [note] = (await server.call('GET', '/v1/accounts/dental/credit-notes')).body.creditNotes.slice(-1);
    const auth = { authorization: `Bearer ${server.apiKey}` };
    const pdf = await fetch(`${server.url}/v1/credit-notes/${note.id}.pdf`, { headers: auth });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('CM-CN-2026-000001.pdf');
    const [text] = await pdfPages(Buffer.from(await pdf.arrayBuffer()));
    for (const shown of [
      'Credit note',
      'CM-CN-2026-000001',
      'Issued 2026-04-02',
      'Credits invoice CM-2026-000001 of 2026-04-01',
      'Service period 2026-03-01',
      'CREDIT TO',
      'Dental Studio Mitte',
      'Starter plan, 2026-03-01',
      '-10.00 EUR',
      'VAT 19% on -10.00 EUR',
      '-1.90 EUR',
      '-11.90 EUR',
      'Reason: Goodwill: a week of outage',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(shown);
    }
    const page = await fetch(`${server.url}/v1/credit-notes/${note.id}.html`, { headers: auth }).then((r) => r.text());
    expect(page).toContain('<title>Credit note CM-CN-2026-000001</title>');
    expect(page).toContain('<tr class="gross"><td>Total</td><td class="num">-11.90 EUR</td></tr>');
    expect(page).toContain('11.90 EUR is taken off what invoice CM-2026-000001 asks, or refunded to you if it is paid.');
    // The invoice's own page asks for what is left.
    const invoice = await invoiceOf('dental');
    const invoicePage = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: auth }).then((r) => r.text());
    expect(invoicePage).toContain('Please pay 65.06 EUR by 2026-04-15');
    expect(invoicePage).toContain('Credit notes credited 13.52 EUR of this invoice.');
  });

  test('voiding an open invoice: status void with when, why and the key; its settlement of 1.5 reversed (unsettlement −1.5, void +1.5); announced once', async () => {
    const invoice = await invoiceOf('clinic');
    expect(invoice).toMatchObject({ number: 'CM-2026-000003', net: '1.50', gross: '1.61', status: 'open' });
    const balanceBefore = (await server.call('GET', '/v1/accounts/clinic/balance')).body.balance;
    const voided = await server.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Test account, billed by mistake' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'void', due: '0.00', voided: { at: '2026-04-02T09:00:00.000Z', reason: 'Test account, billed by mistake', keyId: 'admin' } });
    expect((await ledgerOf('clinic')).filter((e) => e.reference === invoice.id).map((e) => [e.kind, e.amount, e.reason])).toEqual([
      ['settlement', '1.5', null],
      ['unsettlement', '-1.5', 'Test account, billed by mistake'],
      ['void', '1.5', 'Test account, billed by mistake'],
    ]);
    expect((await server.call('GET', '/v1/accounts/clinic/balance')).body.balance).toBe(balanceBefore);
    expect((await outbox('invoice.voided')).map((m) => m.data)).toEqual([
      {
        account: 'clinic',
        invoice: invoice.id,
        number: 'CM-2026-000003',
        currency: 'EUR',
        gross: '1.61',
        reason: 'Test account, billed by mistake',
        unsettled: '1.5',
        links: { account: '/v1/accounts/clinic', balance: '/v1/accounts/clinic/balance', ledger: '/v1/accounts/clinic/ledger', invoice: `/v1/invoices/${invoice.id}` },
      },
    ]);

    // Again: the first void's answer, nothing written.
    const before = await counts();
    const again = await server.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'another reason' });
    expect(again).toMatchObject({ status: 200, body: { status: 'void', voided: { reason: 'Test account, billed by mistake' } } });
    expect(await counts()).toEqual(before);

    expect(await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'paid' })).toMatchObject({
      status: 422,
      body: { error: { code: 'invoice_void', message: 'Invoice CM-2026-000003 is void; it takes no more payments.' } },
    });
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { amount: '1.00', reason: 'x', refund: 'external' })).toMatchObject({
      status: 422,
      body: { error: { code: 'invoice_void' } },
    });
    const page = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    expect(page).toContain('Void since 2026-04-02: Test account, billed by mistake. Nothing is to be paid.');
    expect(page).not.toContain('Please pay');
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/void`, {})).body.error.field).toBe('reason');
  });

  test('a paid invoice is not voided: a credit note corrects it; a postpaid plan billing usage takes no refund to its balance', async () => {
    const invoice = await invoiceOf('dental');
    await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'paid' });
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'x' })).toMatchObject({
      status: 422,
      body: { error: { code: 'invoice_paid', message: 'Invoice CM-2026-000001 is paid: it cannot be voided; issue a credit note for it instead.' } },
    });
    expect(await invoiceOf('dental')).toMatchObject({ status: 'paid', due: '0.00' });
    expect(await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { amount: '1.00', reason: 'x', refund: 'balance' })).toMatchObject({
      status: 422,
      body: { error: { field: 'refund', message: 'cannot be balance: Starter is billed after use, so its balance is invoiced and a refund to it would reach no invoice; refund external' } },
    });
  });
});

describe.each(STORES)('a credit note refunded to a prepaid balance on %s', (store) => {
  test("conversations (prepaid in EUR): 10.00 of Essentials' paid opening invoice goes to the balance as a refund grant and resumes the account", async () => {
    const server = await startTestServer(store, { catalog: 'conversations', now: '2026-03-01T00:00:00Z' });
    try {
      await server.call('POST', '/v1/accounts', { id: 'salon', name: 'Salon', plan: 'essentials' });
      const [opening] = (await server.call('GET', '/v1/accounts/salon/invoices')).body.invoices;
      // 99.00; 19% = 18.81; 117.81.
      expect(opening).toMatchObject({ kind: 'opening', net: '99.00', gross: '117.81' });
      expect((await server.call('GET', '/v1/accounts/salon')).body).toMatchObject({ balance: '0', status: 'paused' });
      await server.call('POST', `/v1/invoices/${opening.id}/payment`, { status: 'paid' });
      server.clock.set('2026-03-05T00:00:00Z');
      const made = await server.call('POST', `/v1/invoices/${opening.id}/credit-notes`, { lines: [{ line: 0, amount: '10.00' }], reason: 'Onboarding took a week', refund: 'balance' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ number: 'CM-CN-2026-000001', net: '10.00', tax: '1.90', gross: '11.90', refund: 'balance', refunded: { amount: '10', unit: 'EUR' } });
      expect((await server.call('GET', '/v1/accounts/salon')).body).toMatchObject({ balance: '10', status: 'active' });
      const ledger = (await server.call('GET', '/v1/accounts/salon/ledger')).body.entries as Entry[];
      expect(ledger.map((e) => [e.kind, e.amount, e.reference, e.reason])).toEqual([['refund', '10', made.body.id, 'Onboarding took a week']]);
      const grants = await server.db.query<{ kind: string; amount: string; expires_at: Date | null }>(`SELECT kind, amount::text, expires_at FROM grants WHERE account_id = 'salon'`);
      expect(grants).toEqual([{ kind: 'refund', amount: '10', expires_at: null }]);
      const [resumed] = await server.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM outbox_messages WHERE type = 'service.resumed'`);
      expect(resumed!.data).toMatchObject({ account: 'salon' });
    } finally {
      await server.stop();
    }
  });

  test("credits: 10.00 EUR of Starter's paid opening invoice are 25,000 credits at 0.40 EUR per 1,000", async () => {
    const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    try {
      await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
      const [opening] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
      await server.call('POST', `/v1/invoices/${opening.id}/payment`, { status: 'paid' });
      const made = await server.call('POST', `/v1/invoices/${opening.id}/credit-notes`, { amount: '10.00', reason: 'Price promise', refund: 'balance' });
      expect(made.body).toMatchObject({ net: '10.00', gross: '11.90', refunded: { amount: '25000', unit: 'credits' } });
      // Starter's 150,000 credits and the 25,000.
      expect((await server.call('GET', '/v1/accounts/shop')).body.balance).toBe('175000');
    } finally {
      await server.stop();
    }
  });
});

describe.each(STORES)('a credit note sent again on %s', (store) => {
  test('under the same reference it is issued once; with other content it is a conflict, and nothing is written', async () => {
    const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    try {
      await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter' });
      const [opening] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
      const send = (amount: string) => server.call('POST', `/v1/invoices/${opening.id}/credit-notes`, { amount, reason: 'Price promise', refund: 'external', reference: 'ticket-7' });
      const first = await send('10.00');
      expect(first).toMatchObject({ status: 201, body: { number: 'CM-CN-2026-000001', net: '10.00', gross: '11.90' } });
      const again = await send('10.00');
      expect(again).toMatchObject({ status: 200, body: { id: first.body.id, number: 'CM-CN-2026-000001' } });
      expect(await send('12.00')).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict', field: 'amount' } } });
      expect((await server.call('GET', `/v1/invoices/${opening.id}/credit-notes`)).body.creditNotes).toHaveLength(1);
      expect((await server.call('GET', `/v1/invoices/${opening.id}`)).body.credited).toBe('11.90');
    } finally {
      await server.stop();
    }
  });
});
