// How an invoice's or a credit note's figures, dates and sentences read on its page and in its PDF:
// grouped digits without passing through floating point, ISO dates, what to pay where, and the
// seller's details.
import { friendlyFormatIBAN } from 'ibantools';
import type { InvoiceRecord, Seller } from '../store/invoices';
import { amountDue } from '../domain/invoice/Invoice';
import { Money } from '../domain/money';
import { dayForPeople, decimalForPeople, grouped } from '../domain/display/forPeople';
import { periodText } from '../domain/cycle/Cycle';

export { grouped };

export const money = (amount: string, currency: string) => `${grouped(amount)} ${currency}`;

/**
 * A unit price shows at least the cents ("59.00", "0.80") and finer digits up to four ("0.002",
 * an average 0.123457 as "0.1235"); the exact price stays on the invoice's record.
 */
export function unitPrice(amount: string, currency: string): string {
  const shown = decimalForPeople(amount);
  if (shown.startsWith('<') || shown.startsWith('>')) return `${shown} ${currency}`;
  const [whole, fraction = ''] = shown.split('.') as [string, string | undefined];
  return money(`${whole}.${fraction.padEnd(2, '0')}`, currency);
}
export const date = dayForPeople;

/** A credited figure reads negative: "10.00" as "-10.00" (zero stays as it is). */
export const negative = (decimal: string): string => (new Money(decimal).isZero() ? decimal : decimal.startsWith('-') ? decimal.slice(1) : `-${decimal}`);

export const STATUS_TEXT: Record<InvoiceRecord['status'], string> = { draft: 'Draft', open: 'Open', paid: 'Paid', failed: 'Payment failed', void: 'Void' };

/** "DE89370400440532013000" as "DE89 3704 0044 0532 0130 00". */
export const ibanForPeople = (iban: string): string => friendlyFormatIBAN(iban) ?? iban;

/** The facts beside the invoice's number: when it was issued and is due, and the customer's number. */
export function headerFacts(invoice: InvoiceRecord): string[] {
  return [
    invoice.status === 'draft' ? `Drafted ${date(invoice.issuedAt)}` : `Issued ${date(invoice.issuedAt)}`,
    ...(invoice.dueAt ? [`Due ${invoice.dueAt.getTime() <= invoice.issuedAt.getTime() ? 'on receipt' : date(invoice.dueAt)}`] : []),
    ...(invoice.buyer.customerNumber ? [`Customer number ${invoice.buyer.customerNumber}`] : []),
  ];
}

/**
 * When the invoiced service was supplied: a cycle's (or a part's) period, or, for a top-up, the day
 * the balance was added (its period is that instant).
 */
export function supplyText(invoice: Pick<InvoiceRecord, 'kind' | 'period'>): string {
  return invoice.kind === 'topup' ? `Date of supply ${date(invoice.period.start)}` : `Service period ${periodText(invoice.period)}`;
}

/** What to pay (less what credit notes credited), by when and where, quoting the number; nothing once it is paid or void. */
export function paymentText(invoice: InvoiceRecord): string | undefined {
  const due = amountDue(invoice);
  if (!invoice.dueAt || new Money(due).isZero()) return undefined;
  const when = invoice.dueAt.getTime() <= invoice.issuedAt.getTime() ? 'on receipt' : `by ${date(invoice.dueAt)}`;
  const bank = invoice.seller.bank;
  const where = bank
    ? ` to ${bank.accountHolder ?? invoice.seller.name}, IBAN ${ibanForPeople(bank.iban)}${bank.bic ? `, BIC ${bank.bic}` : ''}${bank.bank ? ` (${bank.bank})` : ''}, quoting ${invoice.number ?? 'its number'}`
    : '';
  return `Please pay ${money(due, invoice.currency)} ${when}${where}.`;
}

/** The seller's details every business letter carries (§35a GmbHG): one line per kind, empty kinds left out. */
export function sellerFooter(seller: Seller): string[] {
  const directors = seller.managingDirectors;
  return [
    [seller.name, ...seller.address],
    [seller.register, directors && `Managing director${directors.length > 1 ? 's' : ''}: ${directors.join(', ')}`],
    [seller.taxNumber && `Tax number ${seller.taxNumber}`, seller.vatId && `VAT ID ${seller.vatId}`],
    [seller.email, seller.phone, seller.website],
  ]
    .map((parts) => parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' · '))
    .filter((line) => line.length > 0);
}
