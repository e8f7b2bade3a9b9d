// The next invoice, shown before the cycle ends, is the invoice the closing then issues, on both
// stores. Minutes preset (DOMAIN.md model 1, postpaid EUR, plan fees billed in arrears): Starter
// 59 EUR a month with 500 included minutes, then 0.12 EUR a minute; a US carrier surcharge of
// 0.03 EUR a minute; Business 199 EUR; the add-on "Extra minutes (100)" 10 EUR. Credits preset
// (model 2, prepaid): Starter 49 EUR a month billed in advance, "Extra credits (50,000)" 20 EUR.
// VAT 19% unless the account says otherwise.
import { seedDentalStudio } from '../support/dentalStudio';
import { STORES, startTestServer, type TestServer } from '../support/servers';

/** What an issued invoice and its preview must agree on. */
const billed = (invoice: Record<string, unknown>) => ({
  period: invoice.period,
  currency: invoice.currency,
  lines: invoice.lines,
  taxes: invoice.taxes,
  net: invoice.net,
  tax: invoice.tax,
  gross: invoice.gross,
  notes: invoice.notes,
});

describe.each(STORES)('the next bill on %s', (store) => {
  describe('postpaid minutes', () => {
    let server: TestServer;
    const upcoming = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/upcoming-invoice`)).body;
    const previews: Record<string, Record<string, unknown>> = {};

    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
      // March for 'dental' up to the 10th: 550 minutes (50 beyond the allowance), 90 seconds to the US, a US number from the 10th.
      await seedDentalStudio(server);
      server.clock.set('2026-03-01T00:00:00Z');
      await server.call('POST', '/v1/accounts', {
        id: 'agency', name: 'Agentur Wien', plan: 'business', anchor: '2026-03-01T00:00:00Z',
        billing: { address: ['Ring 1', '1010 Wien'], country: 'AT', vatId: 'ATU12345678', reverseCharge: true },
      });
      server.clock.set('2026-03-10T12:00:00Z');
    });
    afterAll(() => server.stop());

    test("Starter's next invoice: the plan fee, the minutes beyond the allowance, the surcharge, the number's rent, VAT 19%", async () => {
      const next = await upcoming('dental');
      expect(next).toMatchObject({
        account: 'dental',
        issuesAt: '2026-04-01T00:00:00.000Z',
        period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
        final: false,
        currency: 'EUR',
      });
      expect(next.lines).toEqual([
        { description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: '1', unit: 'month', unitPrice: '59', net: '59.00', taxRate: '19' },
        { description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: '51.5', unit: 'minute', unitPrice: '0.12', net: '6.18', taxRate: '19' },
        { description: 'Carrier surcharge, 2026-03-01 – 2026-03-31', quantity: '1.5', unit: 'minute', unitPrice: '0.03', net: '0.05', taxRate: '19' },
        { description: 'Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31', quantity: '1', unit: 'rent', unitPrice: '0.8', net: '0.80', taxRate: '19' },
        // What the plan covers, at 0.00, as the invoice will show it.
        { description: 'Included minutes, 2026-03-01 – 2026-03-31: 500 of 500 minutes used', quantity: '500', unit: 'minute', unitPrice: '0', net: '0.00', taxRate: '19' },
      ]);
      // 59.00 + 6.18 + 0.05 + 0.80 = 66.03; 19% = 12.5457 → 12.55; 78.58.
      expect(next).toMatchObject({ net: '66.03', tax: '12.55', gross: '78.58', taxes: [{ rate: '19', net: '66.03', tax: '12.55' }], notes: [] });
    });

    test('an add-on bought and more minutes used show on the next invoice at once, and on the dashboard', async () => {
      expect((await server.call('POST', '/v1/accounts/dental/add-ons', { addOn: 'extra_minutes_100', quantity: 1 })).status).toBe(201);
      // The pack adds 100 minutes from now on: 551.5 of 600 are used, so a 10-minute call is
      // covered and the usage lines stay as they were; the pack is billed.
      const call = await server.call('POST', '/v1/events', { id: 'd4', account: 'dental', type: 'call', timestamp: '2026-03-10T12:00:00Z', data: { duration_seconds: 600 } });
      expect(call.status).toBe(201);
      const next = await upcoming('dental');
      expect(next.lines.map((l: { description: string; net: string }) => [l.description, l.net])).toEqual([
        ['Starter plan, 2026-03-01 – 2026-03-31', '59.00'],
        ['Extra minutes (100), 2026-03-01 – 2026-03-31', '10.00'],
        ['Call minutes, 2026-03-01 – 2026-03-31', '6.18'],
        ['Carrier surcharge, 2026-03-01 – 2026-03-31', '0.05'],
        ['Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31', '0.80'],
        // 500 minutes covered before the pack, the 10-minute call since: 510 of 600.
        ['Included minutes, 2026-03-01 – 2026-03-31: 510 of 600 minutes used', '0.00'],
      ]);
      // 76.03 net; 19% = 14.4457 → 14.45; 90.48.
      expect(next).toMatchObject({ net: '76.03', tax: '14.45', gross: '90.48' });
      previews.dental = next;

      const link = (await server.call('POST', '/v1/accounts/dental/dashboard-links', {})).body.token as string;
      const summary = (await (await fetch(`${server.url}/dashboard/api/summary`, { headers: { authorization: `Bearer ${link}` } })).json()) as { nextBill: unknown };
      expect(summary.nextBill).toEqual(next);
    });

    test("a reverse-charge account's next invoice bills no VAT and says why", async () => {
      const next = await upcoming('agency');
      expect(next.lines).toEqual([{ description: 'Business plan, 2026-03-01 – 2026-03-31', quantity: '1', unit: 'month', unitPrice: '199', net: '199.00', taxRate: '0' }]);
      expect(next).toMatchObject({ net: '199.00', tax: '0.00', gross: '199.00', notes: [expect.stringMatching(/^Reverse charge/)] });
      previews.agency = next;
    });

    test('the closing issues exactly the invoices shown, and the next one is April\u2019s', async () => {
      server.clock.set('2026-04-01T00:00:01Z');
      for (const account of ['dental', 'agency']) {
        expect((await server.call('POST', `/v1/accounts/${account}/cycles/close`)).status).toBe(200);
        const [invoice] = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices;
        expect(billed(invoice)).toEqual(billed(previews[account]!));
      }
      const april = await upcoming('dental');
      expect(april).toMatchObject({ issuesAt: '2026-05-01T00:00:00.000Z', period: { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' } });
      // The number's April rent (1.15) was charged when April began; the fee follows in arrears.
      expect(april.lines.map((l: { net: string }) => l.net)).toEqual(['59.00', '1.15']);
    });

    test('a cycle that has ended is closed before its successor is shown', async () => {
      server.clock.set('2026-05-01T00:00:05Z');
      const may = await upcoming('agency');
      expect(may.period).toEqual({ start: '2026-05-01T00:00:00.000Z', end: '2026-06-01T00:00:00.000Z' });
      expect((await server.call('GET', '/v1/accounts/agency/invoices')).body.invoices).toHaveLength(2);
    });

    test('a cancelled subscription shows its last invoice, then nothing', async () => {
      const cancelled = await server.call('POST', '/v1/accounts/agency/cancel');
      expect(cancelled.status).toBe(200);
      expect(await upcoming('agency')).toMatchObject({ final: true, issuesAt: '2026-06-01T00:00:00.000Z', net: '199.00' });
      server.clock.set('2026-06-01T00:00:01Z');
      expect(await upcoming('agency')).toMatchObject({ final: true, issuesAt: null, period: null, lines: [], net: '0.00', gross: '0.00' });
    });

    test('an unknown account is not found', async () => {
      expect(await server.call('GET', '/v1/accounts/nobody/upcoming-invoice')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    });
  });

  describe('prepaid credits', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
      await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    });
    afterAll(() => server.stop());

    test("a prepaid plan's next invoice bills the next cycle's fee ahead and the packs bought; usage was paid from the balance", async () => {
      server.clock.set('2026-03-15T00:00:00Z');
      expect((await server.call('POST', '/v1/accounts/shop/add-ons', { addOn: 'extra_credits_50k', quantity: 2 })).status).toBe(201);
      const next = (await server.call('GET', '/v1/accounts/shop/upcoming-invoice')).body;
      expect(next.lines).toEqual([
        { description: 'Starter plan, 2026-04-01 – 2026-04-30', quantity: '1', unit: 'month', unitPrice: '49', net: '49.00', taxRate: '19' },
        { description: 'Extra credits (50,000), 2026-03-01 – 2026-03-31', quantity: '2', unit: 'pack', unitPrice: '20', net: '40.00', taxRate: '19' },
      ]);
      // 89.00 net; 19% = 16.91; 105.91.
      expect(next).toMatchObject({ net: '89.00', tax: '16.91', gross: '105.91' });
      server.clock.set('2026-04-01T00:00:01Z');
      await server.call('POST', '/v1/accounts/shop/cycles/close');
      const [invoice] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
      expect(billed(invoice)).toEqual(billed(next));
    });
  });
});
