// An account's language and time zone, on both stores: set when it opens or later (German or
// English in any region, an IANA zone; anything else refused by name and nothing written), shown
// in its JSON, spoken by its explanations, and kept by each invoice as it was issued. Minutes
// preset (DOMAIN.md model 1): pay as you go at 0.15 EUR a minute, billed per second; no locale in
// the catalog, so accounts read English in UTC unless they say otherwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog, PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe.each(STORES)('account locale on %s', (store) => {
  let server: TestServer;
  const page = async (path: string) => plain(await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.apiKey}` } })).text());

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('an account opens in German with a Berlin time zone, spelt canonically; without either it reads English in UTC', async () => {
    const praxis = await server.call('POST', '/v1/accounts', {
      id: 'praxis',
      name: 'Zahnarztpraxis Mitte',
      plan: 'payg',
      locale: 'de-de',
      timeZone: 'Europe/Berlin',
    });
    expect(praxis.status).toBe(201);
    expect(praxis.body).toMatchObject({ id: 'praxis', locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect((await server.call('POST', '/v1/accounts', { id: 'studio', name: 'Studio', plan: 'payg' })).body).toMatchObject({
      locale: 'en-GB',
      timeZone: 'UTC',
    });
    expect((await server.call('GET', '/v1/accounts/praxis')).body).toMatchObject({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
  });

  test('a language without texts or an unknown time zone is refused with 422 naming the field, and nothing is written', async () => {
    const french = await server.call('POST', '/v1/accounts', { id: 'paris', name: 'Paris', plan: 'payg', locale: 'fr-FR' });
    expect(french.status).toBe(422);
    expect(french.body.error.field).toBe('locale');
    const mars = await server.call('POST', '/v1/accounts', { id: 'paris', name: 'Paris', plan: 'payg', timeZone: 'Mars/Olympus_Mons' });
    expect(mars.status).toBe(422);
    expect(mars.body.error.field).toBe('timeZone');
    expect((await server.call('GET', '/v1/accounts/paris')).status).toBe(404);
    const patched = await server.call('PATCH', '/v1/accounts/studio', { locale: 'tlh' });
    expect(patched.status).toBe(422);
    expect(patched.body.error.field).toBe('locale');
    expect((await server.call('GET', '/v1/accounts/studio')).body.locale).toBe('en-GB');
  });

  test('a charge is explained in German to a German account, with the time in Berlin; the API keeps its exact figures', async () => {
    // 90 seconds at 0.15 EUR a minute: 0.225 EUR. 12:00 UTC on 10 March is 13:00 in Berlin (CET).
    server.clock.set('2026-03-10T12:00:00Z');
    const call = { id: 'p1', account: 'praxis', type: 'call', timestamp: '2026-03-10T12:00:00Z', data: { duration_seconds: 90 } };
    expect((await server.call('POST', '/v1/events', call)).status).toBe(201);
    const explained = (await server.call('GET', '/v1/events/p1/explanation?account=praxis')).body;
    expect(explained.cost).toBe('0.225');
    expect(plain(explained.charges[0].explanation)).toBe(
      'Call minutes: 90 Sekunden gemessen; im Takt 1/1 abgerechnet als 90 Sekunden; 90 Sekunden berechnet zu 0,15 € pro Minute = 0,23 €.',
    );
    expect(plain(explained.summary)).toMatch(/^Das Ereignis call p1 vom 10\.03\.2026, 13:00 MEZ kostete 0,23 €\. Call minutes: 90 Sekunden gemessen;/);
    // The API's own messages stay English.
    expect((await server.call('GET', '/v1/events/nope/explanation?account=praxis')).body.error.message).toBe("No event with id 'nope'.");
  });

  test("an invoice is issued in the account's language and keeps it after the account changes its own", async () => {
    server.clock.set('2026-03-10T12:00:00Z');
    expect((await server.call('PATCH', '/v1/accounts/praxis', { billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE' } })).status).toBe(200);
    server.clock.set('2026-04-10T12:00:01Z');
    expect((await server.call('POST', '/v1/accounts/praxis/cycles/close')).status).toBe(200);
    const [invoice] = (await server.call('GET', '/v1/accounts/praxis/invoices')).body.invoices;
    expect(invoice).toMatchObject({ locale: 'de-DE', timeZone: 'Europe/Berlin', net: '0.23', gross: '0.27' });

    const switched = await server.call('PATCH', '/v1/accounts/praxis', { locale: 'en-GB', timeZone: 'UTC' });
    expect(switched.body).toMatchObject({ locale: 'en-GB', timeZone: 'UTC' });
    const html = await page(`/v1/invoices/${invoice.id}.html`);
    expect(html).toContain('<html lang="de-DE">');
    for (const shown of [
      '>Rechnung<',
      'Rechnungsdatum 10.04.2026',
      'Leistungszeitraum',
      '<div>Deutschland</div>',
      '<td>Gesamtbetrag</td><td class="num">0,27 €</td>',
    ]) {
      expect(html).toContain(shown);
    }
    // Explanations follow the account at once.
    expect((await server.call('GET', '/v1/events/p1/explanation?account=praxis')).body.summary).toMatch(
      /^The call event p1 of 2026-03-10T12:00:00\.000Z cost 0\.23 EUR\./,
    );
  });
});

describe("the catalog's default", () => {
  const minutes = readFileSync(join(PRESET_DIRECTORY, 'minutes.yaml'), 'utf8');

  test('a catalog may give its accounts German and Berlin by default; the presets keep English and UTC', () => {
    expect(parseCatalog(minutes, 'minutes.yaml').display).toEqual({ locale: 'en-GB', timeZone: 'UTC' });
    const german = parseCatalog(`${minutes}\ndisplay: { locale: de-de, timeZone: Europe/Berlin }\n`, 'german.yaml');
    expect(german.display).toEqual({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(() => parseCatalog(`${minutes}\ndisplay: { locale: fr-FR }\n`, 'french.yaml')).toThrow(/display\.locale/);
  });
});
