// An invoice and a credit note read in the language they were issued in: a German account's page
// and PDF say Rechnung, Leistungszeitraum and Gesamtbetrag, write 2.254,82 € and 15.04.2026, name
// countries in German and, for a reverse charge, the Steuerschuldnerschaft des Leistungsempfängers.
import { creditNoteHtml, invoiceHtml } from '../../../server/src/documents/invoiceHtml';
import { invoicePdf } from '../../../server/src/documents/invoicePdf';
import { invoiceTotals, type LineInput } from '../../../server/src/domain/invoice/Invoice';
import { money } from '../../../server/src/domain/money';
import type { CreditNoteRecord } from '../../../server/src/store/creditNotes';
import type { InvoiceRecord } from '../../../server/src/store/invoices';
import { pdfPages } from '../support/pdfText';

/** The PDF's text, one string per page; no-break spaces as plain ones. */
async function pdfText(pdf: Buffer): Promise<string[]> {
  return (await pdfPages(pdf)).map((page) => page.replace(/\u00a0/g, ' '));
}

const plain = (text: string) => text.replace(/\u00a0/g, ' ');

// Enterprise 1,890.00 EUR a month and 2,407 seconds of calls billed per minute at 0.12 EUR:
// 40.1167 minutes → 4.814 → 4.81 EUR. Net 1,894.81; VAT 19% 360.0139 → 360.01; total 2,254.82.
const LINES: LineInput[] = [
  { description: 'Enterprise plan, 2026-03-01 – 2026-03-31', quantity: money(1), unit: 'month', unitPrice: money(1890) },
  { description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity: money(2407).dividedBy(60), unit: 'minute', unitPrice: money('0.12') },
];

describe('a German invoice', () => {
  const invoice = sample({ locale: 'de-DE', timeZone: 'Europe/Berlin' });

  test('its page speaks German: title, facts, columns, figures in German format, the country by its German name', () => {
    const page = plain(invoiceHtml(invoice));
    expect(page).toContain('<html lang="de-DE">');
    expect(page).toContain('<title>Rechnung CM-2026-000001</title>');
    for (const fact of ['Rechnungsdatum 01.04.2026', 'Fällig am 15.04.2026', 'Kundennummer dental', 'Leistungszeitraum 01.03.2026 – 31.03.2026', 'Offen']) {
      expect(page).toContain(`>${fact}<`);
    }
    expect(page).toContain('<th>Beschreibung</th><th class="num">Menge</th><th>Einheit</th><th class="num">Einzelpreis</th><th class="num">Netto</th>');
    expect(page).toContain('<td class="num">40,1167</td><td>Minute</td><td class="num">0,12 €</td><td class="num">4,81 €</td>');
    expect(page).toContain('<td class="num">1</td><td>Monat</td><td class="num">1.890,00 €</td><td class="num">1.890,00 €</td>');
    expect(page).toContain('<tr><td>Zwischensumme</td><td class="num">1.894,81 €</td></tr>');
    expect(page).toContain('<tr><td>USt. 19 % auf 1.894,81 €</td><td class="num">360,01 €</td></tr>');
    expect(page).toContain('<tr class="gross"><td>Gesamtbetrag</td><td class="num">2.254,82 €</td></tr>');
    expect(page).toContain('<div>Deutschland</div><div>USt-IdNr. DE123456789</div>');
    expect(page).toContain(
      'Bitte zahlen Sie 2.254,82 € bis zum 15.04.2026 an Example Voice AI GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, Verwendungszweck CM-2026-000001.',
    );
    expect(page).toContain('Geschäftsführung: Erika Mustermann, Max Mustermann');
    expect(page).toContain('Steuernummer 37/000/00000 · USt-IdNr. DE000000000');
    expect(page).not.toMatch(/\b(Invoice|Issued|Due|Service period|Total|Quantity|Please pay)\b/);
  });

  test('its PDF reads German too, with "Seite 1 von 1" and the same figures', async () => {
    const [page, ...more] = await pdfText(await invoicePdf(invoice));
    expect(more).toEqual([]);
    // Words as they read, whatever line the PDF's boxes broke them on.
    const text = page!.replace(/\s+/g, ' ');
    for (const shown of [
      'Rechnung',
      'Rechnungsdatum 01.04.2026',
      'Fällig am 15.04.2026',
      'Leistungszeitraum 01.03.2026 – 31.03.2026',
      'RECHNUNGSEMPFÄNGER',
      'BESCHREIBUNG',
      'EINZELPREIS',
      '40,1167',
      '1.890,00 €',
      'Zwischensumme',
      'USt. 19 % auf 1.894,81 €',
      '360,01 €',
      'Gesamtbetrag',
      '2.254,82 €',
      'Deutschland',
      'Seite 1 von 1',
    ]) {
      expect(text).toContain(shown);
    }
    expect(text).toContain('Bitte zahlen Sie 2.254,82 € bis zum 15.04.2026');
  });

  test('a reverse charge says who owes the VAT in German, on the page and in the PDF', async () => {
    const reverse = sample({ locale: 'de-AT', timeZone: 'Europe/Vienna', ...invoiceTotals(LINES, money(19), true) });
    const page = plain(invoiceHtml(reverse));
    expect(page).toContain('Steuerschuldnerschaft des Leistungsempfängers (Art. 196 der Richtlinie 2006/112/EG).');
    expect(page).not.toContain('Reverse charge');
    expect((await pdfText(await invoicePdf(reverse))).join('\n').replace(/\s+/g, ' ')).toContain('Steuerschuldnerschaft des Leistungsempfängers');
  });

  test('an invoice issued in English stays English, whatever its account speaks now', () => {
    const page = invoiceHtml(sample({ locale: 'en-GB', timeZone: 'UTC' }));
    expect(page).toContain('<html lang="en-GB">');
    expect(page).toContain('Service period 2026-03-01 – 2026-03-31');
    expect(page).toContain('<tr class="gross"><td>Total</td><td class="num">2,254.82 EUR</td></tr>');
    expect(page).toContain('<div>Germany</div><div>VAT ID DE123456789</div>');
  });

  test('a credit note of a German invoice is a Gutschrift, its figures negative in German format', () => {
    const note: CreditNoteRecord = {
      id: 'cn_1',
      number: 'CM-CN-2026-000001',
      accountId: 'dental',
      invoice: {
        id: invoice.id,
        number: invoice.number!,
        issuedAt: invoice.issuedAt.toISOString(),
        period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      },
      issuedAt: new Date('2026-04-02T09:00:00Z'),
      currency: 'EUR',
      seller: invoice.seller,
      buyer: invoice.buyer,
      lines: [
        { line: 0, description: 'Enterprise plan, 2026-03-01 – 2026-03-31', quantity: null, unit: 'month', unitPrice: null, net: '1000.00', taxRate: '19' },
      ],
      taxes: [{ rate: '19', net: '1000.00', tax: '190.00' }],
      notes: [],
      net: '1000.00',
      tax: '190.00',
      gross: '1190.00',
      reason: 'Kulanz',
      refund: 'external',
      refunded: null,
      unsettled: '0',
      keyId: null,
      reference: null,
      asked: null,
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
    };
    const page = plain(creditNoteHtml(note));
    expect(page).toContain('<title>Gutschrift CM-CN-2026-000001</title>');
    expect(page).toContain('>Zu Rechnung CM-2026-000001 vom 01.04.2026<');
    expect(page).toContain('<tr class="gross"><td>Gesamtbetrag</td><td class="num">-1.190,00 €</td></tr>');
    expect(page).toContain('1.190,00 € werden vom offenen Betrag der Rechnung CM-2026-000001 abgezogen');
    expect(page).toContain('Grund: Kulanz');
  });
});

/** A March invoice of LINES to a Berlin dental studio, from a seller with every business detail, due in 14 days. */
function sample(over: Partial<InvoiceRecord>): InvoiceRecord {
  return {
    ...invoiceTotals(LINES, money(19), false),
    id: 'inv_1',
    number: 'CM-2026-000001',
    accountId: 'dental',
    kind: 'cycle',
    issuedAt: new Date('2026-04-01T00:00:01Z'),
    period: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') },
    currency: 'EUR',
    seller: {
      name: 'Example Voice AI GmbH',
      address: ['Beispielstraße 1', '10115 Berlin'],
      vatId: 'DE000000000',
      taxNumber: '37/000/00000',
      register: 'Amtsgericht Berlin-Charlottenburg, HRB 000000 B',
      managingDirectors: ['Erika Mustermann', 'Max Mustermann'],
      bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    },
    buyer: { name: 'Dental Studio Mitte', address: ['Torstraße 1', '10119 Berlin'], country: 'DE', vatId: 'DE123456789', customerNumber: 'dental' },
    dueAt: new Date('2026-04-15T00:00:01Z'),
    status: 'open',
    payments: [],
    voided: null,
    credited: '0.00',
    settledLines: [],
    held: null,
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    ...over,
  };
}
