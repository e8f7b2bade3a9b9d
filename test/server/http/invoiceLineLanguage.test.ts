// An invoice's lines are worded in its account's language when it is issued, on both stores: the
// plan fee, an add-on, usage beyond the allowance, a number's rent and the included usage, German
// for a German account and English, as before, for an English one; the next bill shown before the
// closing says the same. Minutes preset (DOMAIN.md model 1): Starter at 59 EUR a month in arrears
// with 500 included minutes, 0.12 EUR a minute beyond; a local German number at 1.50 EUR a month;
// 100 extra minutes for 10 EUR.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('invoice lines in the account language on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    const accounts = [
      { id: 'praxis', name: 'Zahnarztpraxis Mitte', locale: 'de-DE', timeZone: 'Europe/Berlin', number: '+493012345678' },
      { id: 'studio', name: 'Studio', locale: 'en-GB', timeZone: 'UTC', number: '+493087654321' },
    ];
    for (const a of accounts) {
      server.clock.set('2026-03-01T00:00:00Z');
      const billing = { address: ['Torstraße 1', '10119 Berlin'], country: 'DE' };
      expect(
        (await server.call('POST', '/v1/accounts', { id: a.id, name: a.name, plan: 'starter', locale: a.locale, timeZone: a.timeZone, billing })).status,
      ).toBe(201);
      expect((await server.call('POST', `/v1/accounts/${a.id}/phone-numbers`, { number: a.number, type: 'local', country: 'DE' })).status).toBe(201);
      expect((await server.call('POST', `/v1/accounts/${a.id}/add-ons`, { addOn: 'extra_minutes_100' })).status).toBe(201);
      server.clock.set('2026-03-10T12:00:00Z');
      // 650 minutes: 600 included (500 and the 100 bought), 50 at 0.12 EUR = 6.00 EUR.
      const call = { id: `${a.id}-call`, account: a.id, type: 'call', timestamp: '2026-03-10T12:00:00Z', data: { duration_seconds: 39_000 } };
      expect((await server.call('POST', '/v1/events', call)).status).toBe(201);
    }
  });
  afterAll(() => server.stop());

  const GERMAN = [
    { description: 'Tarif Starter, 01.03.2026 – 31.03.2026', net: '59.00' },
    { description: 'Extra minutes (100), 01.03.2026 – 31.03.2026', net: '10.00' },
    { description: 'Call minutes, 01.03.2026 – 31.03.2026', net: '6.00' },
    { description: 'Rufnummer +493012345678 (Ortsnetznummer, Deutschland), 01.03.2026 – 31.03.2026', net: '1.50' },
    { description: 'Inklusive Minuten, 01.03.2026 – 31.03.2026: 600 von 600 Minuten genutzt', net: '0.00' },
  ];
  const ENGLISH = [
    { description: 'Starter plan, 2026-03-01 – 2026-03-31', net: '59.00' },
    { description: 'Extra minutes (100), 2026-03-01 – 2026-03-31', net: '10.00' },
    { description: 'Call minutes, 2026-03-01 – 2026-03-31', net: '6.00' },
    { description: 'Phone number +493087654321 (local, DE), 2026-03-01 – 2026-03-31', net: '1.50' },
    { description: 'Included minutes, 2026-03-01 – 2026-03-31: 600 of 600 minutes used', net: '0.00' },
  ];

  test('the next bill already reads in the account language, line by line', async () => {
    server.clock.set('2026-03-20T00:00:00Z');
    const german = (await server.call('GET', '/v1/accounts/praxis/upcoming-invoice')).body;
    expect(german.lines).toMatchObject(GERMAN);
    expect(german).toMatchObject({ net: '76.50', tax: '14.54', gross: '91.04' });
    expect((await server.call('GET', '/v1/accounts/studio/upcoming-invoice')).body.lines).toMatchObject(ENGLISH);
  });

  test('the closing issues a German account its lines in German and an English one in English, each equal to its next bill', async () => {
    server.clock.set('2026-04-01T00:00:01Z');
    for (const [account, lines] of [
      ['praxis', GERMAN],
      ['studio', ENGLISH],
    ] as const) {
      expect((await server.call('POST', `/v1/accounts/${account}/cycles/close`)).status).toBe(200);
      const [invoice] = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices;
      expect(invoice.lines).toMatchObject(lines);
      expect(invoice).toMatchObject({ net: '76.50', tax: '14.54', gross: '91.04' });
    }
  });

  test('the German invoice page shows the German lines and units', async () => {
    const [invoice] = (await server.call('GET', '/v1/accounts/praxis/invoices')).body.invoices;
    const html = (
      await (await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } })).text()
    ).replace(/\u00a0/g, ' ');
    for (const line of GERMAN) expect(html).toContain(line.description);
    expect(html).not.toMatch(/Starter plan|Phone number|Included minutes/);
  });
});
