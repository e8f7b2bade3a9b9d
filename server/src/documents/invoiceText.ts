// How an invoice's or a credit note's figures, dates and sentences read on its page and in its PDF,
// in the document's own language (see domain/display/localFormat): what to pay where, and the
// seller's details.
import { friendlyFormatIBAN } from 'ibantools';
import type { InvoiceRecord, Seller } from '../store/invoices';
import { amountDue } from '../domain/invoice/Invoice';
import { Money } from '../domain/money';
import type { LocalFormat } from '../domain/display/localFormat';

/** A credited figure reads negative: "10.00" as "-10.00" (zero stays as it is). */
export const negative = (decimal: string): string => (new Money(decimal).isZero() ? decimal : decimal.startsWith('-') ? decimal.slice(1) : `-${decimal}`);

/** "DE89370400440532013000" as "DE89 3704 0044 0532 0130 00". */
export const ibanForPeople = (iban: string): string => friendlyFormatIBAN(iban) ?? iban;

const dueOnReceipt = (invoice: InvoiceRecord) => invoice.dueAt !== null && invoice.dueAt.getTime() <= invoice.issuedAt.getTime();

/** The facts beside the invoice's number: when it was issued and is due, and the customer's number. */
export function headerFacts(invoice: InvoiceRecord, f: LocalFormat): string[] {
  const t = f.texts.document;
  return [
    invoice.status === 'draft' ? t.drafted(f.day(invoice.issuedAt)) : t.issued(f.day(invoice.issuedAt)),
    ...(invoice.dueAt ? [dueOnReceipt(invoice) ? t.dueOnReceipt : t.due(f.day(invoice.dueAt))] : []),
    ...(invoice.buyer.customerNumber ? [t.customerNumber(invoice.buyer.customerNumber)] : []),
  ];
}

/**
 * When the invoiced service was supplied: a cycle's (or a part's) period, or, for a top-up, the day
 * the balance was added (its period is that instant).
 */
export function supplyText(invoice: Pick<InvoiceRecord, 'kind' | 'period'>, f: LocalFormat): string {
  return invoice.kind === 'topup' ? f.texts.document.dateOfSupply(f.day(invoice.period.start)) : f.texts.document.servicePeriod(f.period(invoice.period));
}

/** What to pay (less what credit notes credited), by when and where, quoting the number; nothing once it is paid or void. */
export function paymentText(invoice: InvoiceRecord, f: LocalFormat): string | undefined {
  const due = amountDue(invoice);
  if (!invoice.dueAt || new Money(due).isZero()) return undefined;
  const t = f.texts.document;
  const bank = invoice.seller.bank;
  const where = bank
    ? t.payTo({
        holder: bank.accountHolder ?? invoice.seller.name,
        iban: ibanForPeople(bank.iban),
        ...(bank.bic ? { bic: bank.bic } : {}),
        ...(bank.bank ? { bank: bank.bank } : {}),
        number: invoice.number ?? t.itsNumber,
      })
    : '';
  return t.pleasePay({ amount: f.money(due, invoice.currency), when: dueOnReceipt(invoice) ? t.payOnReceipt : t.payBy(f.day(invoice.dueAt)), where });
}

/** The seller's details every business letter carries (§35a GmbHG): one line per kind, empty kinds left out. */
export function sellerFooter(seller: Seller, f: LocalFormat): string[] {
  const t = f.texts.document;
  const directors = seller.managingDirectors;
  return [
    [seller.name, ...seller.address],
    [seller.register, directors && t.managingDirectors(directors)],
    [seller.taxNumber && t.taxNumber(seller.taxNumber), seller.vatId && t.vatId(seller.vatId)],
    [seller.email, seller.phone, seller.website],
  ]
    .map((parts) => parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(' · '))
    .filter((line) => line.length > 0);
}
