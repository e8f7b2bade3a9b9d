// Invoices and credit notes as EN 16931 e-invoices, on both stores: XRechnung CII at .xml, valid
// against the Factur-X EN 16931 schema and summing as the invoice does, and the ZUGFeRD PDF
// (?format=zugferd) carrying that XML as factur-x.xml. Minutes preset (DOMAIN.md model 1): Dental
// Studio, given its Berlin address, is billed CM-2026-000001: Starter 59.00, 51.5 call minutes at
// 0.12 (6.18), 1.5 surcharge minutes at 0.03 (0.05), a number's rent 0.80 and 500 included minutes
// at 0.00: net 66.03, VAT 19% 12.55, gross 78.58. The agency in Vienna is billed Business, 199.00,
// under the reverse charge; the clinic, a consumer with no address, cannot be e-invoiced.
import { ciiSchemaErrors, pdfAttachments } from '../support/eInvoiceFiles';
import { pdfPages } from '../support/pdfText';
import { seedDentalStudio } from '../support/dentalStudio';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('e-invoices on %s', (store) => {
  let server: TestServer;
  const invoiceOf = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices[0];
  const fetched = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.apiKey}` } });

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await seedDentalStudio(server);
    // XRechnung 3.0 asks the buyer's electronic address: its e-mail.
    expect(
      (
        await server.call('PATCH', '/v1/accounts/dental', {
          email: 'praxis@dental.example',
          billing: { address: ['Torstraße 1', '10119 Berlin'], country: 'DE' },
        })
      ).status,
    ).toBe(200);
    server.clock.set('2026-03-01T00:00:00Z');
    await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', email: 'clinic@example.com', plan: 'payg', anchor: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', {
      id: 'agency',
      name: 'Agentur Wien',
      email: 'office@agentur.example',
      plan: 'business',
      anchor: '2026-03-01T00:00:00Z',
      billing: { address: ['Ring 1', '1010 Wien'], country: 'AT', vatId: 'ATU12345678', reverseCharge: true },
    });
    server.clock.set('2026-03-20T12:00:00Z');
    await server.call('POST', '/v1/events', { id: 'c1', account: 'clinic', type: 'call', timestamp: '2026-03-20T10:00:00Z', data: { duration_seconds: 600 } });
    server.clock.set('2026-04-01T00:00:01Z');
    for (const account of ['dental', 'clinic', 'agency']) await server.call('POST', `/v1/accounts/${account}/cycles/close`);
    server.clock.set('2026-04-02T09:00:00Z');
  });
  afterAll(() => server.stop());

  test('the XRechnung of a 19% invoice: valid CII, its lines in minutes and months, 66.03 net, 12.55 VAT, 78.58 due', async () => {
    const invoice = await invoiceOf('dental');
    const res = await fetched(`/v1/invoices/${invoice.id}.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('CM-2026-000001.xml');
    const xml = await res.text();
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    for (const part of [
      '<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>',
      '<ram:ID>CM-2026-000001</ram:ID>',
      '<ram:TypeCode>380</ram:TypeCode>',
      '<ram:BilledQuantity unitCode="MON">1</ram:BilledQuantity>',
      '<ram:BilledQuantity unitCode="MIN">51.5</ram:BilledQuantity>',
      '<ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>',
      '<ram:LineTotalAmount>6.18</ram:LineTotalAmount>',
      '<ram:CityName>Berlin</ram:CityName>',
      '<ram:IBANID>DE89370400440532013000</ram:IBANID>',
      '<ram:CalculatedAmount>12.55</ram:CalculatedAmount>',
      '<ram:BasisAmount>66.03</ram:BasisAmount>',
      '<ram:LineTotalAmount>66.03</ram:LineTotalAmount>',
      '<ram:TaxBasisTotalAmount>66.03</ram:TaxBasisTotalAmount>',
      '<ram:TaxTotalAmount currencyID="EUR">12.55</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>78.58</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>78.58</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(part);
    }
  });

  test('the XRechnung of a reverse charge: category AE at 0% with its reason, 199.00 due, valid CII', async () => {
    const invoice = await invoiceOf('agency');
    const xml = await (await fetched(`/v1/invoices/${invoice.id}.xml`)).text();
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    for (const part of [
      '<ram:CategoryCode>AE</ram:CategoryCode>',
      '<ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>',
      '<ram:ID schemeID="VA">ATU12345678</ram:ID>',
      '<ram:CountryID>AT</ram:CountryID>',
      '<ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>199.00</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>199.00</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(part);
    }
  });

  test('the ZUGFeRD PDF carries the XRechnung as factur-x.xml under the Factur-X EN 16931 guideline, and still reads as the invoice', async () => {
    const invoice = await invoiceOf('dental');
    const xml = await (await fetched(`/v1/invoices/${invoice.id}.xml`)).text();
    const res = await fetched(`/v1/invoices/${invoice.id}.pdf?format=zugferd`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const attached = await pdfAttachments(pdf);
    expect(Object.keys(attached)).toEqual(['factur-x.xml']);
    // The same document; only its guideline names the profile the PDF's metadata declares.
    expect(attached['factur-x.xml']).toBe(xml.replace('urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0', 'urn:cen.eu:en16931:2017'));
    expect(await ciiSchemaErrors(attached['factur-x.xml']!)).toEqual([]);
    expect(pdf.toString('latin1')).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(pdf.toString('latin1')).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    const text = (await pdfPages(pdf)).join('\n');
    for (const shown of ['Invoice', 'CM-2026-000001', 'Torstraße 1', '66.03 EUR', '12.55 EUR', '78.58 EUR']) expect(text).toContain(shown);
  });

  test('every PDF embeds its fonts (Arimo, a FontFile2) and uses no standard Helvetica', async () => {
    const invoice = await invoiceOf('dental');
    for (const path of [`/v1/invoices/${invoice.id}.pdf`, `/v1/invoices/${invoice.id}.pdf?format=zugferd`]) {
      const raw = Buffer.from(await (await fetched(path)).arrayBuffer()).toString('latin1');
      expect(raw).toContain('/FontFile2');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Arimo-Bold/);
      expect(raw).not.toContain('Helvetica');
    }
  });

  test('a credit note is type 381, names the invoice it corrects, sums 10.00 + 1.90 = 11.90; its ZUGFeRD PDF carries it', async () => {
    const invoice = await invoiceOf('dental');
    const made = await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ line: 0, amount: '10.00' }],
      reason: 'Goodwill: a week of outage',
      refund: 'external',
    });
    expect(made.status).toBe(201);
    const res = await fetched(`/v1/credit-notes/${made.body.id}.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('CM-CN-2026-000001.xml');
    const xml = await res.text();
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    for (const part of [
      '<ram:TypeCode>381</ram:TypeCode>',
      '<ram:IssuerAssignedID>CM-2026-000001</ram:IssuerAssignedID>',
      '<ram:LineTotalAmount>10.00</ram:LineTotalAmount>',
      '<ram:TaxTotalAmount currencyID="EUR">1.90</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>11.90</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>11.90</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(part);
    }
    const pdf = Buffer.from(await (await fetched(`/v1/credit-notes/${made.body.id}.pdf?format=zugferd`)).arrayBuffer());
    expect((await pdfAttachments(pdf))['factur-x.xml']).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect((await pdfPages(pdf)).join('\n')).toContain('-11.90 EUR');
  });

  test('an invoice to a consumer without an address is refused (einvoice_incomplete, naming billing.address), as XML and as ZUGFeRD, and nothing is written', async () => {
    const invoice = await invoiceOf('clinic');
    const count = async () =>
      (await server.db.query<{ n: number }>(`SELECT (SELECT count(*) FROM outbox_messages) + (SELECT count(*) FROM audit_log) AS n`))[0]!.n;
    const before = await count();
    for (const path of [`/v1/invoices/${invoice.id}.xml`, `/v1/invoices/${invoice.id}.pdf?format=zugferd`]) {
      const res = await server.call('GET', path);
      expect(res).toMatchObject({ status: 422, body: { error: { code: 'einvoice_incomplete', field: 'billing.address' } } });
      expect(res.body.error.message).toContain(
        `Invoice ${invoice.number} cannot be an EN 16931 e-invoice: it was issued without billing.address, billing.country.`,
      );
    }
    expect(await count()).toBe(before);
    // Its ordinary PDF is there as ever.
    expect((await fetched(`/v1/invoices/${invoice.id}.pdf`)).status).toBe(200);
  });

  test("a dashboard link serves its account's XRechnung and ZUGFeRD PDF, and no other account's", async () => {
    const invoice = await invoiceOf('dental');
    const { token } = (await server.call('POST', '/v1/accounts/dental/dashboard-links', {})).body;
    const withLink = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const xml = await withLink(`/dashboard/api/invoices/${invoice.id}.xml`);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toBe(await (await fetched(`/v1/invoices/${invoice.id}.xml`)).text());
    const pdf = await withLink(`/dashboard/api/invoices/${invoice.id}.pdf?format=zugferd`);
    expect(pdf.status).toBe(200);
    expect(Object.keys(await pdfAttachments(Buffer.from(await pdf.arrayBuffer())))).toEqual(['factur-x.xml']);
    expect((await withLink(`/dashboard/api/invoices/${invoice.id}.pdf?format=odt`)).status).toBe(422);
    expect((await withLink(`/dashboard/api/invoices/${(await invoiceOf('agency')).id}.xml`)).status).toBe(404);
  });

  test("an account without an e-mail: its XRechnung is refused naming email (BT-49, the buyer's electronic address), its ZUGFeRD PDF (EN 16931) is served", async () => {
    // A paid top-up's invoice, issued at once to an address in Hamburg: 10.00 + 1.90 VAT.
    const opened = await server.call('POST', '/v1/accounts', {
      id: 'noemail',
      name: 'Praxis ohne Post',
      plan: 'payg',
      billing: { address: ['Jungfernstieg 1', '20354 Hamburg'], country: 'DE' },
    });
    expect(opened.status).toBe(201);
    const made = await server.call('POST', '/v1/accounts/noemail/topups', { amount: '10', reference: 'pi_noemail', paid: { net: '10.00', currency: 'EUR' } });
    expect(made.status).toBe(201);
    const invoice = made.body.invoice;
    expect(await server.call('GET', `/v1/invoices/${invoice.id}.xml`)).toMatchObject({
      status: 422,
      body: { error: { code: 'einvoice_incomplete', field: 'email', message: expect.stringContaining('it was issued without email.') } },
    });
    expect((await fetched(`/v1/invoices/${invoice.id}.pdf?format=zugferd`)).status).toBe(200);
  });

  test("an invoice whose stored buyer country the standard's code list lacks (QQ, stored before countries were checked) answers 422 einvoice_incomplete naming billing.country, as XML and as ZUGFeRD", async () => {
    const invoice = await invoiceOf('agency');
    await server.db.query(`UPDATE invoices SET buyer = jsonb_set(buyer, '{country}', '"QQ"') WHERE id = $1`, [invoice.id]);
    for (const path of [`/v1/invoices/${invoice.id}.xml`, `/v1/invoices/${invoice.id}.pdf?format=zugferd`]) {
      expect({ path, ...(await server.call('GET', path)) }).toMatchObject({
        path,
        status: 422,
        body: {
          error: {
            code: 'einvoice_incomplete',
            field: 'billing.country',
            message: expect.stringContaining(
              `Invoice ${invoice.number} cannot be an EN 16931 e-invoice: billing.country (QQ) must be equal to one of the allowed values`,
            ),
          },
        },
      });
    }
  });

  test('an unknown format is refused naming format', async () => {
    const invoice = await invoiceOf('dental');
    expect(await server.call('GET', `/v1/invoices/${invoice.id}.pdf?format=xlsx`)).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', field: 'format' } },
    });
  });

  test("a paid invoice's XRechnung is made anew: 78.58 prepaid, 0.00 due, where it asked 66.68 (78.58 less its credit note of 11.90) before", async () => {
    const invoice = await invoiceOf('dental');
    const before = await (await fetched(`/v1/invoices/${invoice.id}.xml`)).text();
    expect(before).toContain('<ram:DuePayableAmount>66.68</ram:DuePayableAmount>');
    expect((await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'paid' })).status).toBe(200);
    const after = await (await fetched(`/v1/invoices/${invoice.id}.xml`)).text();
    expect(after).toContain('<ram:TotalPrepaidAmount>78.58</ram:TotalPrepaidAmount>');
    expect(after).toContain('<ram:DuePayableAmount>0.00</ram:DuePayableAmount>');
    expect(await ciiSchemaErrors(after)).toEqual([]);
  });
});
