// An invoice to a business buyer names the buyer's address (§14 UStG): without it, the closing
// closes the cycle as always but holds the invoice as a draft, unnumbered, and says why; the
// address issues it with the next number. On both stores. Minutes preset (postpaid EUR, plan fees
// in arrears): Starter 59 EUR a month with 500 included minutes, then 0.12 EUR a minute; VAT 19%.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('invoice drafts held for the buyer address on %s', (store) => {
  let server: TestServer;
  const outbox = async (type: string, account: string) =>
    (
      await server.db.query<{ data: any }>(`SELECT data FROM outbox_messages WHERE type = $1 AND account_id = $2 ORDER BY occurred_at, id`, [type, account])
    ).map((r) => r.data);
  const invoicesOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices;
  const lastNumber = async () => (await server.db.query<{ last: string }>(`SELECT last::text FROM invoice_sequences WHERE prefix = 'CM'`))[0]?.last;
  let draftId: string;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    // A business by its VAT id, no address yet; a consumer; a business by its own word, no address.
    await server.call('POST', '/v1/accounts', {
      id: 'acme',
      name: 'Acme GmbH',
      plan: 'starter',
      anchor: '2026-03-01T00:00:00Z',
      billing: { vatId: 'DE123456789', country: 'DE' },
    });
    await server.call('POST', '/v1/accounts', { id: 'corner', name: 'Corner Shop', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', {
      id: 'studio',
      name: 'Studio KG',
      plan: 'starter',
      anchor: '2026-03-01T00:00:00Z',
      billing: { business: true },
    });
    server.clock.set('2026-03-20T12:00:00Z');
    // 550 minutes: 500 included, 50 beyond at 0.12 = 6.00 EUR.
    for (const [id, seconds] of [
      ['a1', 30_000],
      ['a2', 3_000],
    ] as const) {
      const call = await server.call('POST', '/v1/events', {
        id,
        account: 'acme',
        type: 'call',
        timestamp: '2026-03-20T10:00:00Z',
        data: { duration_seconds: seconds },
      });
      expect(call.status).toBe(201);
    }
  });
  afterAll(() => server.stop());

  test('the upcoming invoice of a business buyer without an address says it will be held until the address is given', async () => {
    const upcoming = (await server.call('GET', '/v1/accounts/acme/upcoming-invoice')).body;
    expect(upcoming.held).toEqual({
      missing: ['billing.address'],
      message:
        "This invoice will be held as a draft, without a number, until the account's billing.address is given: an invoice to a business must name the buyer's address (§14 UStG).",
    });
    expect(upcoming.gross).toBe('77.35');
    // The preview shows what the plan covered, as the invoice will: a line at 0.00.
    expect(upcoming.lines.at(-1)).toEqual({
      description: 'Included minutes, 2026-03-01 – 2026-03-31: 500 of 500 minutes used',
      quantity: '500',
      unit: 'minute',
      unitPrice: '0',
      net: '0.00',
      taxRate: '19',
    });
    expect((await server.call('GET', '/v1/accounts/corner/upcoming-invoice')).body.held).toBeNull();
  });

  test('closing with a business buyer without an address closes the cycle and settles, but holds the invoice as a draft: no number taken, invoice.draft_blocked sent', async () => {
    server.clock.set('2026-04-01T00:00:01Z');
    const closed = await server.call('POST', '/v1/accounts/acme/cycles/close');
    expect(closed.status).toBe(200);
    const [draft] = await invoicesOf('acme');
    draftId = draft.id;
    expect(draft).toMatchObject({
      number: null,
      status: 'draft',
      issuedAt: null,
      dueAt: null,
      kind: 'cycle',
      period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      held: {
        missing: ['billing.address'],
        message:
          "Held as a draft: an invoice to a business must name the buyer's address (§14 UStG). It is issued, with its number, once the account's billing.address is given.",
      },
      net: '65.00',
      tax: '12.35',
      gross: '77.35',
    });
    expect(draft.lines).toEqual([
      { description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: '1', unit: 'month', unitPrice: '59', net: '59.00', taxRate: '19' },
      { description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '50', unit: 'minute', unitPrice: '0.12', net: '6.00', taxRate: '19' },
      {
        description: 'Included minutes, 2026-03-01 – 2026-03-31: 500 of 500 minutes used',
        quantity: '500',
        unit: 'minute',
        unitPrice: '0',
        net: '0.00',
        taxRate: '19',
      },
    ]);
    // No number was taken: the sequence has not started.
    expect(await lastNumber()).toBeUndefined();
    // The cycle closed as always, naming the draft; the usage's 6.00 EUR is settled by it.
    expect((await outbox('cycle.closed', 'acme'))[0]).toMatchObject({ invoice: draftId, final: false, balance: '0' });
    expect(await outbox('invoice.created', 'acme')).toEqual([]);
    expect(await outbox('invoice.draft_blocked', 'acme')).toEqual([
      {
        account: 'acme',
        invoice: draftId,
        kind: 'cycle',
        period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
        currency: 'EUR',
        net: '65.00',
        tax: '12.35',
        gross: '77.35',
        missing: ['billing.address'],
        message:
          "Held as a draft: an invoice to a business must name the buyer's address (§14 UStG). It is issued, with its number, once the account's billing.address is given.",
        links: {
          account: '/v1/accounts/acme',
          balance: '/v1/accounts/acme/balance',
          ledger: '/v1/accounts/acme/ledger',
          invoice: `/v1/invoices/${draftId}`,
          pdf: `/v1/invoices/${draftId}.pdf`,
          issue: `/v1/invoices/${draftId}/issue`,
        },
      },
    ]);
  });

  test('another account closing meanwhile takes the first number: the draft left no gap', async () => {
    expect((await server.call('POST', '/v1/accounts/corner/cycles/close')).status).toBe(200);
    const [corner] = await invoicesOf('corner');
    expect(corner).toMatchObject({ number: 'CM-2026-000001', status: 'open', gross: '70.21' });
    expect(await lastNumber()).toBe('1');
  });

  test('a draft takes no payment, void or credit note, and is not issued while the address is missing (422 naming the field)', async () => {
    const draftRefusal = { code: 'invoice_draft' };
    expect(await server.call('POST', `/v1/invoices/${draftId}/payment`, { status: 'paid' })).toMatchObject({ status: 422, body: { error: draftRefusal } });
    expect(await server.call('POST', `/v1/invoices/${draftId}/void`, { reason: 'wrong' })).toMatchObject({ status: 422, body: { error: draftRefusal } });
    expect(await server.call('POST', `/v1/invoices/${draftId}/credit-notes`, { amount: '1.00', reason: 'x', refund: 'external' })).toMatchObject({
      status: 422,
      body: { error: draftRefusal },
    });
    expect(await server.call('POST', `/v1/invoices/${draftId}/issue`)).toMatchObject({
      status: 422,
      body: {
        error: {
          code: 'invoice_held',
          field: 'billing.address',
          message: `Invoice ${draftId} stays a draft: an invoice to a business must name the buyer's address (§14 UStG). Give the account acme its billing.address first.`,
        },
      },
    });
    // A change that gives no address issues nothing.
    expect((await server.call('PATCH', '/v1/accounts/acme', { billing: { vatId: 'DE123456789', country: 'DE', paymentTermsDays: 14 } })).status).toBe(200);
    expect((await invoicesOf('acme'))[0]).toMatchObject({ status: 'draft', number: null });
    expect(await lastNumber()).toBe('1');
  });

  test('the dashboard says the invoice is held until the address is given', async () => {
    const summary = await fetch(`${server.url}/dashboard/api/summary?account=acme`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then(
      (r) => r.json() as Promise<any>,
    );
    expect(summary.notices).toContainEqual({
      kind: 'invoice_held',
      message:
        "An invoice is held as a draft until your billing address is given: an invoice to a business must name the buyer's address. Send your address to have it issued.",
    });
    expect(summary.invoices[0]).toMatchObject({ number: null, status: 'draft', issuedAt: null, held: { missing: ['billing.address'] } });
  });

  test('giving the address issues the draft with the next number, issued and due from then, and sends invoice.created', async () => {
    server.clock.set('2026-04-03T09:00:00Z');
    const patched = await server.call('PATCH', '/v1/accounts/acme', {
      billing: { vatId: 'DE123456789', country: 'DE', address: ['Torstraße 1', '10119 Berlin'] },
    });
    expect(patched.status).toBe(200);
    const [invoice] = await invoicesOf('acme');
    expect(invoice).toMatchObject({
      id: draftId,
      number: 'CM-2026-000002',
      status: 'open',
      held: null,
      issuedAt: '2026-04-03T09:00:00.000Z',
      dueAt: '2026-04-17T09:00:00.000Z',
      buyer: { name: 'Acme GmbH', customerNumber: 'acme', address: ['Torstraße 1', '10119 Berlin'], country: 'DE', vatId: 'DE123456789' },
      net: '65.00',
      tax: '12.35',
      gross: '77.35',
      due: '77.35',
    });
    expect(await outbox('invoice.created', 'acme')).toEqual([
      expect.objectContaining({ invoice: draftId, number: 'CM-2026-000002', kind: 'cycle', net: '65.00', tax: '12.35', gross: '77.35' }),
    ]);
    expect(await lastNumber()).toBe('2');
    // Issued, it is an invoice like any: asking again answers it as it stands.
    expect(await server.call('POST', `/v1/invoices/${draftId}/issue`)).toMatchObject({ status: 200, body: { number: 'CM-2026-000002', status: 'open' } });
    expect(await lastNumber()).toBe('2');
    const page = await fetch(`${server.url}/v1/invoices/${draftId}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    expect(page).toContain('<div>Torstraße 1</div><div>10119 Berlin</div>');
    expect(page).toContain('quoting CM-2026-000002.');
  });

  test('the operator issues a draft whose account has its address, with the next number: the sequence stays gapless', async () => {
    server.clock.set('2026-04-05T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/studio/cycles/close')).status).toBe(200);
    const [draft] = await invoicesOf('studio');
    expect(draft).toMatchObject({ status: 'draft', number: null, gross: '70.21' });
    expect(await outbox('invoice.draft_blocked', 'studio')).toHaveLength(1);
    // The address came by another way than the account update (an import): the operator issues the draft.
    await server.db.query(`UPDATE accounts SET billing = '{"business": true, "address": ["Hafenstraße 3", "20359 Hamburg"]}'::jsonb WHERE id = 'studio'`);
    const issued = await server.call('POST', `/v1/invoices/${draft.id}/issue`);
    expect(issued).toMatchObject({
      status: 200,
      body: { number: 'CM-2026-000003', status: 'open', issuedAt: '2026-04-05T00:00:00.000Z', buyer: { address: ['Hafenstraße 3', '20359 Hamburg'] } },
    });
    const numbers = (await server.db.query<{ number: string }>(`SELECT number FROM invoices ORDER BY number`)).map((r) => r.number);
    expect(numbers).toEqual(['CM-2026-000001', 'CM-2026-000002', 'CM-2026-000003']);
    expect(await lastNumber()).toBe('3');
  });
});
