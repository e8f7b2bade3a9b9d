// The seller's logo from the catalog (invoicing.seller.logo: a PNG or JPEG file beside the catalog,
// or a data URL), checked when the catalog loads, on the invoice's page (an img with the data) and
// in its PDF (one image object, of the logo's size). On both stores.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { CatalogError, loadCatalog, PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { pdfImages } from '../support/pdfImages';

/** A PNG of `width` × `height` red pixels, written out chunk by chunk. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // 8 bits per channel
  header.writeUInt8(2, 9); // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([0xdc, 0x26, 0x26]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const LOGO = png(4, 3);
const DATA_URL = `data:image/png;base64,${LOGO.toString('base64')}`;

/** The minutes preset with `logo` as its seller's logo, written to `dir`. */
function catalogWithLogo(dir: string, logo: string): string {
  const preset = readFileSync(join(PRESET_DIRECTORY, 'minutes.yaml'), 'utf8');
  const withLogo = preset.replace('  seller:\n', `  seller:\n    logo: "${logo}"\n`);
  expect(withLogo).not.toBe(preset);
  const file = join(dir, 'minutes-logo.yaml');
  writeFileSync(file, withLogo);
  return file;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'creditmeter-logo-'));
  writeFileSync(join(dir, 'logo.png'), LOGO);
  writeFileSync(join(dir, 'logo.gif'), Buffer.from('GIF89a not a png'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the logo is checked when the catalog loads', () => {
  test('a PNG file beside the catalog is read into a data URL', () => {
    expect(loadCatalog(catalogWithLogo(dir, 'logo.png')).invoicing.seller.logo).toBe(DATA_URL);
  });

  test('a data URL is taken as it is', () => {
    expect(loadCatalog(catalogWithLogo(dir, DATA_URL)).invoicing.seller.logo).toBe(DATA_URL);
  });

  test('a file that is not a PNG or JPEG, a missing file and a data URL that claims another type are refused, naming the field', () => {
    expect(() => loadCatalog(catalogWithLogo(dir, 'logo.gif'))).toThrow(
      new CatalogError(`catalog ${join(dir, 'minutes-logo.yaml')} is invalid:\n  invoicing.seller.logo: ${join(dir, 'logo.gif')} must be a PNG or JPEG image`),
    );
    expect(() => loadCatalog(catalogWithLogo(dir, 'absent.png'))).toThrow(/invoicing\.seller\.logo: cannot read .*absent\.png/);
    expect(() => loadCatalog(catalogWithLogo(dir, `data:image/jpeg;base64,${LOGO.toString('base64')}`))).toThrow(
      /invoicing\.seller\.logo: says image\/jpeg but holds a image\/png/,
    );
    expect(() => loadCatalog(catalogWithLogo(dir, 'data:image/svg+xml;base64,PHN2Zy8+'))).toThrow(/invoicing\.seller\.logo: must be a data URL/);
  });
});

describe.each(STORES)('the logo on invoices on %s', (store) => {
  let server: TestServer;
  let invoiceId: string;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: catalogWithLogo(dir, 'logo.png'), now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'corner', name: 'Corner Shop', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    server.clock.set('2026-04-01T00:00:01Z');
    expect((await server.call('POST', '/v1/accounts/corner/cycles/close')).status).toBe(200);
    invoiceId = (await server.call('GET', '/v1/accounts/corner/invoices')).body.invoices[0].id;
  });
  afterAll(() => server.stop());

  test("the invoice's page shows the logo as an img with its data, which the page's policy allows", async () => {
    const response = await fetch(`${server.url}/v1/invoices/${invoiceId}.html`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(response.headers.get('content-security-policy')).toContain('img-src data:');
    expect(await response.text()).toContain(`<img class="logo" src="${DATA_URL}" alt="Example Voice AI GmbH">`);
  });

  test("the invoice's PDF embeds the logo as an image object", async () => {
    const pdf = Buffer.from(
      await (await fetch(`${server.url}/v1/invoices/${invoiceId}.pdf`, { headers: { authorization: `Bearer ${server.apiKey}` } })).arrayBuffer(),
    );
    expect(await pdfImages(pdf)).toEqual([{ page: 1, width: 4, height: 3 }]);
  });

  test("the invoice's row keeps no copy of the logo: the documents draw it from the catalog", async () => {
    const [row] = await server.db.query<{ seller: Record<string, unknown> }>('SELECT seller FROM invoices WHERE id = $1', [invoiceId]);
    expect(row!.seller).not.toHaveProperty('logo');
    expect((await server.call('GET', `/v1/invoices/${invoiceId}`)).body.seller).not.toHaveProperty('logo');
  });
});
