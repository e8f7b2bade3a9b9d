// The invoice as a person reads it (HTML page): exact quantities on the record, at most four
// decimals on the page.
import { invoiceHtml } from '../../../server/src/documents/invoiceHtml';
import { invoiceTotals } from '../../../server/src/domain/invoice/Invoice';
import { money } from '../../../server/src/domain/money';
import type { InvoiceRecord } from '../../../server/src/store/invoices';

describe('the invoice page', () => {
  test('2,407 seconds billed per minute read 40.1167 minutes on the page; the record keeps the exact quantity', () => {
    // 2407 / 60 = 40.11666…; at 0.12 EUR a minute: 4.814 EUR → 4.81 EUR.
    const quantity = money(2407).dividedBy(60);
    const totals = invoiceTotals([{ description: 'Call minutes, 2026-03-01 – 2026-03-31', quantity, unit: 'minute', unitPrice: money('0.12') }], money(19), false);
    const invoice: InvoiceRecord = {
      ...totals,
      id: 'inv_1',
      number: 'CM-2026-000001',
      accountId: 'dental',
      kind: 'cycle',
      issuedAt: new Date('2026-04-01T00:00:00Z'),
      period: { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') },
      currency: 'EUR',
      seller: { name: 'Example Voice AI GmbH', address: ['Beispielstraße 1', '10115 Berlin'] },
      buyer: { name: 'Dental Studio', address: ['Torstraße 1', '10119 Berlin'] },
      status: 'open',
      payments: [],
    };
    expect(invoice.lines[0]!.quantity).toBe('40.11666666666666666666666666666666666667');
    const page = invoiceHtml(invoice);
    expect(page).toContain('<td class="num">40.1167</td><td>minute</td><td class="num">0.12 EUR</td><td class="num">4.81 EUR</td>');
    expect(page).not.toMatch(/\d\.\d{5,}/);
  });
});
