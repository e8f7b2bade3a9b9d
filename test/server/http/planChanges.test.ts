// Plan changes, on both stores. Plans preset (DOMAIN.md model 4, postpaid EUR, prices net):
// Basic 190 EUR a month (1,900 a year), 50,000 conversations, 1,000 documents, 3 assistants;
// Scale 490 EUR a month, 100,000 conversations, 10,000 documents. VAT 19%. April has 30 days.
// Seed 003: the plan fee is paid up front, an invoice when the cycle starts; an upgrade credits
// the unused part of the old fee.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('plan changes on %s', (store) => {
  let server: TestServer;
  const change = (body: object) => server.call('POST', '/v1/accounts/shop/plan-change', body);
  const account = async () => (await server.call('GET', '/v1/accounts/shop')).body;
  const invoices = async () => (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'plans', now: '2026-04-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'basic', anchor: '2026-04-01T00:00:00Z' });
    server.clock.set('2026-04-10T12:00:00Z');
    for (const id of ['c1', 'c2', 'c3']) {
      await server.call('POST', '/v1/events', { id, account: 'shop', type: 'chat', timestamp: '2026-04-10T11:00:00Z', data: { input_tokens: 500, output_tokens: 200, conversation: id } });
    }
  });
  afterAll(() => server.stop());

  test('the same plan changes nothing, and says so', async () => {
    expect((await change({ plan: 'basic' })).body).toMatchObject({ kind: 'none', message: 'The account is on Basic, billed monthly, already: nothing changes.' });
  });

  test('the account opened with April paid up front: Basic 190.00, VAT 36.10, 226.10', async () => {
    const [opening] = await invoices();
    expect(opening).toMatchObject({ number: 'CM-2026-000001', kind: 'opening', issuedAt: '2026-04-01T00:00:00.000Z', net: '190.00', tax: '36.10', gross: '226.10' });
    expect(opening.lines).toEqual([{ description: 'Basic plan, 2026-04-01 – 2026-04-30', quantity: '1', unit: 'month', unitPrice: '190', net: '190.00', taxRate: '19' }]);
  });

  test('previewing an upgrade halfway through April shows the amounts and changes nothing', async () => {
    server.clock.set('2026-04-16T00:00:00Z');
    const preview = (await change({ plan: 'scale', preview: true })).body;
    // Basic's unused 16 – 30 April credited: −190 × 15 / 30 = −95.00; Scale for 16 – 30 April: 245.00.
    // Net 150.00, VAT 28.50, 178.50 now; nothing more at the cycle's end.
    expect(preview).toMatchObject({
      kind: 'upgrade',
      preview: true,
      effectiveAt: '2026-04-16T00:00:00.000Z',
      invoiceNow: {
        net: '150.00',
        tax: '28.50',
        gross: '178.50',
        lines: [
          { description: 'Basic plan, 2026-04-16 – 2026-04-30 not used: paid in advance, credited', quantity: '-0.5', unitPrice: '190', net: '-95.00' },
          { description: 'Scale plan, 2026-04-16 – 2026-04-30 (part of the cycle 2026-04-01 – 2026-04-30)', quantity: '0.5', unitPrice: '490', net: '245.00' },
        ],
      },
      atCycleEnd: null,
    });
    expect((await account()).plan).toBe('basic');
    expect((await invoices()).map((i: { kind: string }) => i.kind)).toEqual(['opening']);
  });

  test('the upgrade applies at once: a proration invoice, the new allowance with the used part carried over', async () => {
    const applied = (await change({ plan: 'scale' })).body;
    expect(applied).toMatchObject({
      kind: 'upgrade',
      scheduled: false,
      invoiceNow: { number: 'CM-2026-000002', kind: 'proration', period: { start: '2026-04-16T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }, gross: '178.50' },
    });
    expect(await account()).toMatchObject({ plan: 'scale', planSince: '2026-04-16T00:00:00.000Z', scheduledChange: null });
    const balance = (await server.call('GET', '/v1/accounts/shop/balance')).body;
    expect(balance.allowances).toEqual([expect.objectContaining({ meter: 'conversations', included: '100000', used: '3', remaining: '99997' })]);
  });

  test("April's closing bills May up front on Scale: April was paid by the opening and the upgrade", async () => {
    server.clock.set('2026-05-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/cycles/close');
    const [may] = await invoices();
    expect(may).toMatchObject({ number: 'CM-2026-000003', kind: 'cycle', net: '490.00', tax: '93.10', gross: '583.10' });
    expect(may.lines).toEqual([
      { description: 'Scale plan, 2026-05-01 – 2026-05-31', quantity: '1', unit: 'month', unitPrice: '490', net: '490.00', taxRate: '19' },
      // What April drew on Scale's included conversations, at 0.00.
      { description: 'Included conversations, 2026-04-01 – 2026-04-30: 3 of 100,000 conversations used', quantity: '3', unit: 'conversation', unitPrice: '0', net: '0.00', taxRate: '19' },
    ]);
    expect((await account()).planSince).toBeNull();
  });

  test('a downgrade is refused while the account has more documents than the lower plan allows', async () => {
    server.clock.set('2026-05-10T00:00:00Z');
    expect((await server.call('PUT', '/v1/accounts/shop/resources', { documents: 1001, assistants: 2 })).body.resources).toEqual({ documents: 1001, assistants: 2 });
    const refused = await change({ plan: 'basic' });
    expect(refused).toMatchObject({
      status: 422,
      body: { error: { code: 'plan_limits_exceeded', field: 'plan', limits: [{ limit: 'documents', allowed: 1000, current: 1001 }], features: [], message: 'The account does not fit Basic: it allows documents at most 1000 (the account has 1001).' } },
    });
    expect((await account()).scheduledChange).toBeNull();
  });

  test('a downgrade waits for the next cycle, shows on the account, and can be cancelled', async () => {
    await server.call('PUT', '/v1/accounts/shop/resources', { documents: 1000, assistants: 2 });
    const scheduled = (await change({ plan: 'basic' })).body;
    expect(scheduled).toMatchObject({ kind: 'downgrade', scheduled: true, effectiveAt: '2026-06-01T00:00:00.000Z' });
    expect((await account()).scheduledChange).toMatchObject({ plan: 'basic', interval: 'month', at: '2026-06-01T00:00:00.000Z' });
    expect((await server.call('DELETE', '/v1/accounts/shop/plan-change')).body).toMatchObject({ cancelled: true });
    expect((await account()).scheduledChange).toBeNull();
    expect((await server.call('DELETE', '/v1/accounts/shop/plan-change')).body).toMatchObject({ cancelled: false, message: 'No plan change was scheduled.' });
    await change({ plan: 'basic' });
  });

  test('at the cycle end June starts on Basic and is billed up front: 190.00 (May on Scale was paid already)', async () => {
    server.clock.set('2026-06-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/shop/cycles/close');
    const [june] = await invoices();
    expect(june).toMatchObject({ number: 'CM-2026-000004', net: '190.00', gross: '226.10' });
    expect(june.lines.map((l: { description: string }) => l.description)).toEqual(['Basic plan, 2026-06-01 – 2026-06-30']);
    expect(await account()).toMatchObject({ plan: 'basic', scheduledChange: null });
  });

  test('yearly billing starts at once: June closes early, its unused part credited, and a year is one cycle billed 1,900 EUR up front', async () => {
    server.clock.set('2026-06-10T00:00:00Z');
    const preview = (await change({ plan: 'basic', interval: 'year', preview: true })).body;
    expect(preview).toMatchObject({ kind: 'interval_change', scheduled: false, effectiveAt: '2026-06-10T00:00:00.000Z' });
    expect((await change({ plan: 'basic', interval: 'year' })).body).toMatchObject({ kind: 'interval_change', effectiveAt: '2026-06-10T00:00:00.000Z' });
    expect((await server.call('POST', '/v1/accounts/shop/cycles/close')).body.closed).toEqual([
      expect.objectContaining({ cycle: { start: '2026-06-01T00:00:00.000Z', end: '2026-06-10T00:00:00.000Z' }, next: { start: '2026-06-10T00:00:00.000Z', end: '2027-06-10T00:00:00.000Z' } }),
    ]);
    // June was paid up front: 10 – 30 June is credited, 190 × 21 / 30 = −133.00; the year is billed ahead.
    const [year] = await invoices();
    expect(year.lines).toEqual([
      { description: 'Basic plan, 2026-06-10 – 2026-06-30 not used: paid in advance, credited', quantity: '-0.7', unit: 'month', unitPrice: '190', net: '-133.00', taxRate: '19' },
      { description: 'Basic plan, 2026-06-10 – 2027-06-09', quantity: '1', unit: 'year', unitPrice: '1900', net: '1900.00', taxRate: '19' },
    ]);
    // 1,767.00; VAT 335.73; 2,102.73.
    expect(year).toMatchObject({ net: '1767.00', tax: '335.73', gross: '2102.73' });
    expect(await account()).toMatchObject({ plan: 'basic', interval: 'year', anchor: '2026-06-10T00:00:00.000Z' });

    // Back to monthly waits for the end of the year.
    expect((await change({ plan: 'basic', interval: 'month' })).body).toMatchObject({ kind: 'interval_change', scheduled: true, effectiveAt: '2027-06-10T00:00:00.000Z' });
    await server.call('DELETE', '/v1/accounts/shop/plan-change');
    server.clock.set('2027-06-10T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/shop/cycles/close')).body.closed).toHaveLength(1);
    const [next] = await invoices();
    expect(next.lines).toEqual([{ description: 'Basic plan, 2027-06-10 – 2028-06-09', quantity: '1', unit: 'year', unitPrice: '1900', net: '1900.00', taxRate: '19' }]);
  });

  test('an account opened on 10 June with its anchor on 1 June is charged from its opening: 21 of 30 days, 133.00', async () => {
    await server.call('POST', '/v1/accounts', { id: 'mover', name: 'Mover', plan: 'basic', anchor: '2027-06-01T00:00:00Z' });
    const [opening] = (await server.call('GET', '/v1/accounts/mover/invoices')).body.invoices;
    expect(opening).toMatchObject({ kind: 'opening', period: { start: '2027-06-10T00:00:00.000Z', end: '2027-07-01T00:00:00.000Z' }, net: '133.00' });
    expect(opening.lines).toEqual([
      { description: 'Basic plan, 2027-06-10 – 2027-06-30 (part of the cycle 2027-06-01 – 2027-06-30)', quantity: '0.7', unit: 'month', unitPrice: '190', net: '133.00', taxRate: '19' },
    ]);
  });

  test('cancelling a move to yearly billing before it starts gives the month back its full length', async () => {
    server.clock.set('2027-06-15T10:30:00Z');
    expect((await server.call('POST', '/v1/accounts/mover/plan-change', { plan: 'basic', interval: 'year' })).body.effectiveAt).toBe('2027-06-15T11:00:00.000Z');
    expect((await server.call('DELETE', '/v1/accounts/mover/plan-change')).body.cancelled).toBe(true);
    server.clock.set('2027-06-15T11:00:00Z');
    expect((await server.call('POST', '/v1/accounts/mover/cycles/close')).body.closed).toEqual([]);
    server.clock.set('2027-07-01T00:00:00Z');
    expect((await server.call('POST', '/v1/accounts/mover/cycles/close')).body.closed[0].cycle).toEqual({ start: '2027-06-01T00:00:00.000Z', end: '2027-07-01T00:00:00.000Z' });
  });

  test('bad plan changes and resources are refused with the field named', async () => {
    expect((await change({ plan: 'gold' })).body.error).toMatchObject({ code: 'validation_failed', field: 'plan' });
    expect((await change({ plan: 'scale', interval: 'week' })).body.error.field).toBe('interval');
    expect((await change({ plan: 'scale', preview: 'yes' })).body.error.field).toBe('preview');
    expect((await server.call('PUT', '/v1/accounts/shop/resources', { widgets: 3 })).body.error).toMatchObject({ field: 'widgets' });
    expect((await server.call('PUT', '/v1/accounts/shop/resources', { documents: -1 })).body.error.field).toBe('documents');
    expect((await server.call('POST', '/v1/accounts/nobody/plan-change', { plan: 'scale' })).status).toBe(404);
  });
});
