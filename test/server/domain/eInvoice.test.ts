// An invoice as an EN 16931 e-invoice (XRechnung CII): valid against the standard's CII schema, its
// amounts the invoice's to the cent, and refused, naming what is missing, where it cannot be complete.
import { invoiceXml } from '../../../server/src/documents/eInvoiceDocuments';
import { invoiceEInvoice, missingForEInvoice, postalAddress, unitCode } from '../../../server/src/domain/invoice/eInvoice';
import { invoiceTotals, type LineInput } from '../../../server/src/domain/invoice/Invoice';
import { money } from '../../../server/src/domain/money';
import type { InvoiceRecord } from '../../../server/src/store/invoices';
import { ciiSchemaErrors } from '../support/eInvoiceFiles';

describe('the XRechnung of an invoice', () => {
  test('a March invoice of 59.00 EUR plan fee and 2,407 seconds at 0.12 EUR a minute: 63.81 net, 12.12 VAT (19%), 75.93 due; valid CII', async () => {
    const xml = await invoiceXml(sample(MARCH, { dueAt: new Date('2026-04-15T00:00:00Z') }));
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>');
    expect(xml).toContain('<ram:TypeCode>380</ram:TypeCode>');
    expect(xml).toContain('<ram:BuyerReference>dental</ram:BuyerReference>');
    for (const total of [
      '<ram:LineTotalAmount>63.81</ram:LineTotalAmount>',
      '<ram:TaxBasisTotalAmount>63.81</ram:TaxBasisTotalAmount>',
      '<ram:TaxTotalAmount currencyID="EUR">12.12</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>75.93</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>75.93</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(total);
    }
  });

  test('a reverse charge to a French business: category AE at 0% with its exemption reason, 63.81 net and due, valid CII', async () => {
    const xml = await invoiceXml(
      sample(
        MARCH,
        {
          buyer: {
            name: 'Cabinet Dentaire',
            address: ['1 rue de Rivoli', '75001 Paris', 'France'],
            vatId: 'FR00000000000',
            email: 'compta@cabinet.example',
            customerNumber: 'cabinet',
          },
        },
        true,
      ),
    );
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<ram:CountryID>FR</ram:CountryID>');
    expect(xml).toContain('<ram:CategoryCode>AE</ram:CategoryCode>');
    expect(xml).toContain('<ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>');
    for (const total of [
      '<ram:TaxTotalAmount currencyID="EUR">0.00</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>63.81</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>63.81</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(total);
    }
  });

  test('a price of 0.0125 EUR a minute is 1.25 EUR per 100 minutes, exactly; a paid invoice asks nothing more', async () => {
    // 800 minutes at 0.0125: 10.00 net, 1.90 VAT, 11.90 gross, all paid.
    const invoice = sample([{ description: 'Minutes', quantity: money(800), unit: 'minute', unitPrice: money('0.0125') }], { status: 'paid' });
    const xml = await invoiceXml(invoice);
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<ram:BasisQuantity unitCode="MIN">100</ram:BasisQuantity>');
    const model = invoiceEInvoice(invoice);
    const line = model['ubl:Invoice']['cac:InvoiceLine'][0];
    expect(line['cac:Price']).toMatchObject({ 'cbc:PriceAmount': '1.25', 'cbc:BaseQuantity': '100' });
    expect(model['ubl:Invoice']['cac:LegalMonetaryTotal']).toMatchObject({
      'cbc:TaxInclusiveAmount': '11.90',
      'cbc:PrepaidAmount': '11.90',
      'cbc:PayableAmount': '0.00',
    });
  });

  test('a paid top-up invoice: supplied on its day, 100.00 + 19.00 VAT = 119.00 prepaid, 0.00 due; valid CII', async () => {
    const day = new Date('2026-03-10T09:30:00Z');
    const xml = await invoiceXml(
      sample([{ description: 'Credits top-up, 250,000 credits', quantity: money(1), unit: 'top-up', unitPrice: money(100) }], {
        kind: 'topup',
        status: 'paid',
        issuedAt: day,
        dueAt: day,
        period: { start: day, end: day },
      }),
    );
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    for (const part of [
      '<ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>',
      '<udt:DateTimeString format="102">20260310</udt:DateTimeString>',
      '<ram:GrandTotalAmount>119.00</ram:GrandTotalAmount>',
      '<ram:TotalPrepaidAmount>119.00</ram:TotalPrepaidAmount>',
      '<ram:DuePayableAmount>0.00</ram:DuePayableAmount>',
    ]) {
      expect(xml).toContain(part);
    }
  });

  test('units in UN/ECE Recommendation 20: minutes MIN, a month MON, a thousand tokens T3, a segment C62', () => {
    expect(['minute', 'month', '1000 tokens', 'segment', 'conversation', 'pack'].map(unitCode)).toEqual(['MIN', 'MON', 'T3', 'C62', 'C62', 'C62']);
  });

  test('an address read from its lines: street, post code and city (a house number leading the street is no post code), the country by its name, its code or the VAT id', () => {
    expect(postalAddress({ address: ['Beispielstraße 1', '10115 Berlin', 'Germany'] })).toEqual({
      lines: ['Beispielstraße 1'],
      postCode: '10115',
      city: 'Berlin',
      country: 'DE',
    });
    expect(postalAddress({ address: ['3 Main Street', 'London SW1A 1AA'], country: 'GB' })).toEqual({
      lines: ['3 Main Street'],
      city: 'London SW1A 1AA',
      country: 'GB',
    });
    expect(postalAddress({ address: ['Ring 1', '1010 Wien'], vatId: 'ATU12345678' })).toEqual({
      lines: ['Ring 1'],
      postCode: '1010',
      city: 'Wien',
      country: 'AT',
    });
  });

  test('refused (einvoice_incomplete) naming what is missing: a buyer without an address, a seller without VAT id or tax number', () => {
    const invoice = sample(MARCH, {
      buyer: { name: 'Dental Studio', address: [] },
      seller: { name: 'Example Voice AI GmbH', address: ['Beispielstraße 1', '10115 Berlin'], country: 'DE' },
    });
    expect(() => invoiceEInvoice(invoice)).toThrow(
      expect.objectContaining({
        error: expect.objectContaining({ reason: 'einvoice_incomplete', missing: ['invoicing.seller.vatId', 'billing.address', 'billing.country'] }),
      }),
    );
  });

  test("the XRechnung asks what XRechnung 3.0 adds: the seller's post code, telephone and e-mail (BR-DE-4, -6, -7), the buyer's post code and e-mail (BR-DE-9, PEPPOL-EN16931-R010); EN 16931 alone does not", () => {
    const invoice = sample(MARCH, {
      seller: { name: 'Example Voice AI GmbH', address: ['Beispielstraße 1', 'Berlin'], country: 'DE', vatId: 'DE000000000' },
      buyer: { name: 'Dental Studio', address: ['Torstraße 1', 'Berlin'], country: 'DE', customerNumber: 'dental' },
    });
    expect(missingForEInvoice(invoice, 'xrechnung')).toEqual([
      'invoicing.seller.address',
      'invoicing.seller.phone',
      'invoicing.seller.email',
      'billing.address',
      'email',
    ]);
    expect(missingForEInvoice(invoice, 'en16931')).toEqual([]);
    expect(() => invoiceEInvoice(invoice, 'xrechnung')).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ reason: 'einvoice_incomplete', field: 'invoicing.seller.address' }) }),
    );
    expect(invoiceEInvoice(invoice)['ubl:Invoice']['cbc:ID']).toBe('CM-2026-000001');
    expect(() => invoiceXml(invoice)).toThrow(expect.objectContaining({ error: expect.objectContaining({ reason: 'einvoice_incomplete' }) }));
  });

  test("the XRechnung carries the seller's contact (name, telephone, e-mail) and both electronic addresses", async () => {
    const xml = await invoiceXml(sample(MARCH));
    for (const part of [
      '<ram:PersonName>Example Voice AI GmbH</ram:PersonName>',
      '<ram:CompleteNumber>+49 30 0000000</ram:CompleteNumber>',
      '<ram:URIID>billing@example.com</ram:URIID>',
      '<ram:URIID schemeID="EM">billing@example.com</ram:URIID>',
      '<ram:URIID schemeID="EM">praxis@dental.example</ram:URIID>',
      '<ram:PostcodeCode>10115</ram:PostcodeCode>',
      '<ram:PostcodeCode>10119</ram:PostcodeCode>',
    ]) {
      expect(xml).toContain(part);
    }
  });

  test("a buyer's country the standard's code list lacks (QQ, stored before countries were checked) is refused as einvoice_incomplete naming billing.country, not thrown as the library's error", async () => {
    const invoice = sample(MARCH, { id: 'inv_qq', buyer: { ...sample(MARCH).buyer, country: 'QQ' } });
    await expect(invoiceXml(invoice)).rejects.toMatchObject({
      error: {
        reason: 'einvoice_incomplete',
        field: 'billing.country',
        missing: ['billing.country'],
        message: expect.stringContaining(
          'Invoice CM-2026-000001 cannot be an EN 16931 e-invoice: billing.country (QQ) must be equal to one of the allowed values',
        ),
      },
    });
  });

  test('Kosovo (XK) is written as EN 16931 lists it: 1A', async () => {
    const xml = await invoiceXml(
      sample(MARCH, { id: 'inv_xk', buyer: { ...sample(MARCH).buyer, address: ['Rruga Nënë Tereza 1', '10000 Prishtinë'], country: 'XK', vatId: undefined } }),
    );
    expect(await ciiSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<ram:CountryID>1A</ram:CountryID>');
  });

  test('a draft is not e-invoiced', () => {
    expect(() => invoiceEInvoice(sample(MARCH, { number: null, status: 'draft' }))).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ reason: 'invoice_draft' }) }),
    );
  });
});

const MARCH: LineInput[] = [
  { description: 'Starter plan, 2026-03-01 – 2026-03-31', quantity: money(1), unit: 'month', unitPrice: money(59) },
  { description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: money(2407).dividedBy(60), unit: 'minute', unitPrice: money('0.12') },
];

/** An invoice of these lines from a seller with every business detail, to a business in Berlin. */
function sample(lines: LineInput[], over: Partial<InvoiceRecord> = {}, reverseCharge = false): InvoiceRecord {
  return {
    ...invoiceTotals(lines, money(19), reverseCharge),
    id: 'inv_1',
    number: 'CM-2026-000001',
    accountId: 'dental',
    kind: 'cycle',
    issuedAt: new Date('2026-04-01T00:00:00Z'),
    period: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') },
    currency: 'EUR',
    seller: {
      name: 'Example Voice AI GmbH',
      address: ['Beispielstraße 1', '10115 Berlin', 'Germany'],
      vatId: 'DE000000000',
      taxNumber: '37/000/00000',
      register: 'Amtsgericht Berlin-Charlottenburg, HRB 000000 B',
      managingDirectors: ['Erika Mustermann'],
      email: 'billing@example.com',
      phone: '+49 30 0000000',
      bank: { accountHolder: 'Example Voice AI GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    },
    buyer: {
      name: 'Dental Studio',
      address: ['Torstraße 1', '10119 Berlin'],
      country: 'DE',
      vatId: 'DE111111111',
      email: 'praxis@dental.example',
      customerNumber: 'dental',
    },
    dueAt: null,
    status: 'open',
    held: null,
    payments: [],
    voided: null,
    credited: '0.00',
    settledLines: [],
    locale: 'en-GB',
    timeZone: 'Europe/Berlin',
    ...over,
  };
}
