// How an invoice's figures and dates read on its page and in its PDF: grouped digits without
// passing through floating point, ISO dates.
import type { InvoiceRecord } from '../store/invoices';
import { dayForPeople } from '../domain/display/forPeople';

/** "1234567.5" as "1,234,567.5" (the decimal string's own digits, grouped). */
export function grouped(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole, fraction] = (negative ? decimal.slice(1) : decimal).split('.') as [string, string | undefined];
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

export const money = (amount: string, currency: string) => `${grouped(amount)} ${currency}`;

/** A unit price shows at least the cents ("59.00", "0.80") and any finer digits it has ("0.002"). */
export function unitPrice(amount: string, currency: string): string {
  const [whole, fraction = ''] = amount.split('.') as [string, string | undefined];
  return money(`${whole}.${fraction.padEnd(2, '0')}`, currency);
}
export const date = dayForPeople;

export const STATUS_TEXT: Record<InvoiceRecord['status'], string> = { open: 'Open', paid: 'Paid', failed: 'Payment failed' };
