// Countries are ISO 3166-1 alpha-2 codes where they are entered: an account's billing country, a
// rented number's country, the catalog's (plan availability, number rents, the seller's). Two
// capital letters that name no country (QQ), or a region that is none (EU), are refused naming the
// field and nothing is written; Kosovo's XK, which banks and the EU use, is a country.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseCatalog, PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { isCountryCode } from '../../../server/src/domain/display/Country';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('country codes on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('an account billed to QQ or EU is refused naming billing.country and not opened; one in Kosovo (XK) is opened', async () => {
    for (const country of ['QQ', 'EU', 'de']) {
      expect(await server.call('POST', '/v1/accounts', { id: `in-${country}`, name: 'Nowhere', plan: 'payg', billing: { country } })).toMatchObject({
        status: 422,
        body: { error: { code: 'validation_failed', field: 'billing.country' } },
      });
      expect((await server.call('GET', `/v1/accounts/in-${country}`)).status).toBe(404);
    }
    expect((await server.call('POST', '/v1/accounts', { id: 'kosovo', name: 'Prishtina', plan: 'payg', billing: { country: 'XK' } })).status).toBe(201);
  });

  test('a billing country changed to QQ is refused naming billing.country; the account keeps its own', async () => {
    expect((await server.call('POST', '/v1/accounts', { id: 'berlin', name: 'Berlin', plan: 'payg', billing: { country: 'DE' } })).status).toBe(201);
    expect(await server.call('PATCH', '/v1/accounts/berlin', { billing: { country: 'QQ' } })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', field: 'billing.country' } },
    });
    expect((await server.call('GET', '/v1/accounts/berlin')).body.billing.country).toBe('DE');
  });

  test('a number rented in QQ is refused naming country', async () => {
    expect((await server.call('POST', '/v1/accounts', { id: 'caller', name: 'Caller', plan: 'payg' })).status).toBe(201);
    expect(await server.call('POST', '/v1/accounts/caller/phone-numbers', { number: '+493012345678', type: 'local', country: 'QQ' })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', field: 'country' } },
    });
    expect((await server.call('GET', '/v1/accounts/caller/phone-numbers')).body.phoneNumbers).toEqual([]);
  });
});

describe('country codes in the catalog', () => {
  const minutes = parseYaml(readFileSync(join(PRESET_DIRECTORY, 'minutes.yaml'), 'utf8')) as Record<string, any>;
  const parsed = (change: (catalog: Record<string, any>) => void) => {
    const catalog = structuredClone(minutes);
    change(catalog);
    return () => parseCatalog(JSON.stringify(catalog), 'changed.json');
  };

  test('a number rent, a plan availability or a seller in QQ is refused naming the field; DE is taken', () => {
    expect(parsed((c) => (c.phoneNumbers.local.countries = { QQ: '1.00' }))).toThrow('phoneNumbers.local.countries');
    expect(parsed((c) => (c.plans[0].available = { countries: ['DE', 'QQ'] }))).toThrow(
      'plans[0].available.countries[1]: must be an ISO 3166-1 country code such as DE',
    );
    expect(parsed((c) => (c.invoicing.seller.country = 'QQ'))).toThrow('invoicing.seller.country: must be an ISO 3166-1 country code such as DE');
    expect(parsed((c) => (c.invoicing.seller.country = 'DE'))().invoicing.seller.country).toBe('DE');
  });

  test('the codes: DE, GR, XK are countries; QQ, EU, UN, ZZ, FX (a deprecated code) are not', () => {
    expect(['DE', 'GR', 'XK', 'QQ', 'EU', 'UN', 'ZZ', 'FX'].map((code) => [code, isCountryCode(code)])).toEqual([
      ['DE', true],
      ['GR', true],
      ['XK', true],
      ['QQ', false],
      ['EU', false],
      ['UN', false],
      ['ZZ', false],
      ['FX', false],
    ]);
  });
});
