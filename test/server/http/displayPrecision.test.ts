// Amounts shown to people round to the catalog's display precision (display.creditsDecimals,
// display.moneyDecimals; money by default to its currency's minor unit, credits to 2); quantities
// show at most four decimals; the API's fields and the ledger stay exact. No sentence of the
// dashboard's summary and no rendered invoice has a number with more than four decimals.
// Credits preset (DOMAIN.md model 2): a call's connection costs 95 credits a minute, per second.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { displayDecimals } from '../../../server/src/domain/catalog/Catalog';
import { amountForPeople } from '../../../server/src/domain/display/forPeople';
import { localFormat } from '../../../server/src/domain/display/localFormat';

const unitPrice = localFormat({ locale: 'en-GB', timeZone: 'UTC' }).unitPrice;
import { STORES, startTestServer, type TestServer } from '../support/servers';

/** Every string of a JSON value that reads as a sentence (has a space): the display strings, not the exact figures. */
function sentences(value: unknown): string[] {
  if (typeof value === 'string') return /\s/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(sentences);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(sentences);
  return [];
}

/** Numbers with five or more fraction digits, grouped or not. */
const TOO_PRECISE = /\d[.,]\d{5,}/;

describe('the display precision', () => {
  test('an amount rounds half up to its precision; one too small to show reads as less than the smallest step', () => {
    expect(amountForPeople('169.41666666666666666667', 2)).toBe('169.42');
    expect(amountForPeople('169.41666666666666666667', 0)).toBe('169');
    expect(amountForPeople('96.58333333333333333333', 4)).toBe('96.5833');
    expect(amountForPeople('0.001', 2)).toBe('<0.01');
    expect(amountForPeople('0', 2)).toBe('0');
  });

  test("money defaults to its currency's minor unit, credits to 2; the catalog's display says otherwise", () => {
    const credits = loadCatalog('credits');
    expect(displayDecimals(credits, 'credits')).toBe(2);
    expect(displayDecimals(credits, 'EUR')).toBe(2);
    expect(displayDecimals(credits, 'JPY')).toBe(0);
    expect(displayDecimals(credits, 'KWD')).toBe(3);
    // Anything else (minutes, tokens) shows at most four decimals.
    expect(displayDecimals(credits, 'minute')).toBe(4);
    const own = { ...credits, display: { ...credits.display, creditsDecimals: 0, moneyDecimals: 3 } };
    expect(displayDecimals(own, 'credits')).toBe(0);
    expect(displayDecimals(own, 'EUR')).toBe(3);
  });

  test('a unit price on a document shows its cents and at most four decimals', () => {
    expect(unitPrice('59', 'EUR')).toBe('59.00 EUR');
    expect(unitPrice('0.002', 'EUR')).toBe('0.002 EUR');
    expect(unitPrice('0.123457', 'EUR')).toBe('0.1235 EUR');
  });
});

describe.each(STORES)('displayed numbers on %s', (store) => {
  let dir: string;
  let server: TestServer;
  let whole: TestServer;

  /** The credits preset showing whole credits. */
  function wholeCreditsCatalog(): string {
    const file = join(dir, 'credits-whole.yaml');
    writeFileSync(file, `${readFileSync(join(PRESET_DIRECTORY, 'credits.yaml'), 'utf8')}\ndisplay: { creditsDecimals: 0 }\n`);
    return file;
  }

  async function recordCall(on: TestServer) {
    await on.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    on.clock.set('2026-03-10T12:00:00Z');
    // 61 seconds at 95 credits a minute: 96.58333… credits.
    const call = await on.call('POST', '/v1/events', {
      id: 'v1',
      account: 'shop',
      type: 'call',
      timestamp: '2026-03-10T11:00:00Z',
      data: { duration_seconds: 61 },
    });
    expect(call.status).toBe(201);
    expect(call.body.cost).toBe('96.58333333333333333333');
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'creditmeter-display-'));
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    whole = await startTestServer(store, { catalog: wholeCreditsCatalog(), now: '2026-03-01T00:00:00Z' });
    await recordCall(server);
    await recordCall(whole);
  });
  afterAll(async () => {
    await server.stop();
    await whole.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const summaryOf = async (on: TestServer) =>
    (await fetch(`${on.url}/dashboard/api/summary?account=shop`, { headers: { authorization: `Bearer ${on.apiKey}` } })).json() as Promise<any>;

  test('the explanation says the cost to the credits display precision; the API keeps it exact', async () => {
    const explained = (await server.call('GET', '/v1/events/v1/explanation?account=shop')).body;
    expect(explained.cost).toBe('96.58333333333333333333');
    expect(explained.summary).toContain('cost 96.58 credits.');
    expect(explained.charges[0].explanation).toBe(
      'Phone call connection: 61 seconds measured; billed in 1/1 increments as 61 seconds; 61 seconds charged at 95 credits per minute = 96.58 credits.',
    );
    const wholeExplained = (await whole.call('GET', '/v1/events/v1/explanation?account=shop')).body;
    expect(wholeExplained.summary).toContain('cost 97 credits.');
  });

  test('the dashboard says what precision to show, and none of its sentences has a number with more than four decimals', async () => {
    const summary = await summaryOf(server);
    expect(summary.display).toEqual({ balanceDecimals: 2, moneyDecimals: 2 });
    expect((await summaryOf(whole)).display).toEqual({ balanceDecimals: 0, moneyDecimals: 2 });
    const shown = sentences(summary);
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.filter((s) => TOO_PRECISE.test(s))).toEqual([]);
    expect(summary.recentCharges[0].summary).toContain('cost 96.58 credits.');
  });

  test('a rendered invoice has no number with more than four decimals', async () => {
    const [invoice] = (await server.call('GET', '/v1/accounts/shop/invoices')).body.invoices;
    const page = await fetch(`${server.url}/v1/invoices/${invoice.id}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then((r) => r.text());
    const text = page.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');
    expect(text).toContain('Starter');
    expect(text.match(TOO_PRECISE)).toBeNull();
  });
});
