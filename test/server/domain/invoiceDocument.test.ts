// The invoice as a person reads it (HTML page and PDF): exact quantities on the record, at most four
// decimals on the page; when and where to pay; the seller's details and page numbers on every page.
import { invoiceHtml } from '../../../server/src/documents/invoiceHtml';
import { invoicePdf } from '../../../server/src/documents/invoicePdf';
import { pdfPages } from '../support/pdfText';
import { invoiceTotals, type LineInput } from '../../../server/src/domain/invoice/Invoice';
import { money } from '../../../server/src/domain/money';
import type { InvoiceRecord } from '../../../server/src/store/invoices';

describe('the invoice page', () => {
  test('2,407 seconds billed per minute read 40.1167 minutes on the page; the record keeps the exact quantity', () => {
    // 2407 / 60 = 40.11666…; at 0.12 EUR a minute: 4.814 EUR → 4.81 EUR.
    const quantity = money(2407).dividedBy(60);
    const invoice = sample([{ description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity, unit: 'minute', unitPrice: money('0.12') }]);
    expect(invoice.lines[0]!.quantity).toBe('40.11666666666666666666666666666666666667');
    const page = invoiceHtml(invoice);
    expect(page).toContain('<td class="num">40.1167</td><td>minute</td><td class="num">0.12 EUR</td><td class="num">4.81 EUR</td>');
    expect(page).not.toMatch(/\d\.\d{5,}/);
  });

  test('terms of 0 days are due on receipt; a paid invoice asks for nothing', () => {
    const invoice = sample(1, { dueAt: new Date('2026-04-01T00:00:00Z') });
    expect(invoiceHtml(invoice)).toContain('<div>Due on receipt</div>');
    expect(invoiceHtml(invoice)).toContain('Please pay 1.19 EUR on receipt to Example Voice AI GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, quoting CM-2026-000001.');
    expect(invoiceHtml({ ...invoice, status: 'paid' })).not.toContain('Please pay');
  });
});

describe('the invoice PDF', () => {
  test('every page carries the seller\'s details and its number among all pages', async () => {
    // 60 lines do not fit one A4 page.
    const pages = await pdfPages(await invoicePdf(sample(60, { dueAt: new Date('2026-04-15T00:00:00Z') })));
    expect(pages).toHaveLength(2);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of 2`);
      expect(text).toContain('Example Voice AI GmbH · Beispielstraße 1 · 10115 Berlin');
      expect(text).toContain('Amtsgericht Berlin-Charlottenburg, HRB 000000 B · Managing directors: Erika Mustermann, Max Mustermann');
      expect(text).toContain('Tax number 37/000/00000 · VAT ID DE000000000');
    });
    expect(pages[0]).toContain('Due 2026-04-15');
    expect(pages[0]).toContain('Customer number dental');
    // 60 lines of 1 EUR: 60.00 net, 11.40 VAT, 71.40.
    // The sentence wraps where the page does.
    expect(pages[1]!.replace(/\s+/g, ' ')).toContain('Please pay 71.40 EUR by 2026-04-15 to Example Voice AI GmbH, IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, quoting CM-2026-000001.');
  });
});

describe('the invoice PDF in German', () => {
  test('prints €, ä, ü and ß in its embedded fonts (Arimo, not the standard Helvetica)', async () => {
    const pdf = await invoicePdf(sample(2, { locale: 'de-DE', timeZone: 'Europe/Berlin', dueAt: new Date('2026-04-15T00:00:00Z') }));
    const [text] = await pdfPages(pdf);
    for (const shown of [
      'Rechnung',
      'Fällig am 15.04.2026',
      'RECHNUNGSEMPFÄNGER',
      'Torstraße 1',
      'Line 1 1 Paket 1,00 € 1,00 €',
      'Geschäftsführung: Erika Mustermann, Max Mustermann',
      'Seite 1 von 1',
    ]) {
      expect(text).toContain(shown);
    }
    expect(pdf.toString('latin1')).toContain('/FontFile2');
    expect(pdf.toString('latin1')).not.toContain('Helvetica');
  });
});

/** An invoice of these lines (or of that many lines of 1 EUR each), from a seller with every business detail. */
function sample(lines: number | LineInput[], over: Partial<InvoiceRecord> = {}): InvoiceRecord {
  const inputs = typeof lines === 'number' ? Array.from({ length: lines }, (_, i) => ({ description: `Line ${i + 1}`, quantity: money(1), unit: 'pack', unitPrice: money(1) })) : lines;
  return {
    ...invoiceTotals(inputs, money(19), false),
    id: 'inv_1',
    number: 'CM-2026-000001',
    accountId: 'dental',
    kind: 'cycle',
    issuedAt: new Date('2026-04-01T00:00:00Z'),
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
    buyer: { name: 'Dental Studio', address: ['Torstraße 1', '10119 Berlin'], customerNumber: 'dental' },
    dueAt: null,
    status: 'open',
    held: null,
    payments: [],
    voided: null,
    credited: '0.00',
    settledLines: [],
    locale: 'en-GB',
    timeZone: 'UTC',
    ...over,
  };
}
