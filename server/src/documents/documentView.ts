// An invoice or a credit note as its page and its PDF show it: the same parts in words and figures
// for people. Both renderers draw this view, so the two documents share one layout; a credit note
// is an invoice-like document that names the invoice it credits and reads its figures negative.
import { periodText } from '../domain/cycle/Cycle';
import { decimalForPeople } from '../domain/display/forPeople';
import { Money } from '../domain/money';
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord, Party } from '../store/invoices';
import { date, grouped, headerFacts, money, negative, paymentText, sellerFooter, STATUS_TEXT, supplyText, unitPrice } from './invoiceText';

export interface DocumentLine {
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  net: string;
}

/** What every document of the seller shows beside its content, from the catalog: the logo (a PNG or JPEG data URL). */
export interface Letterhead {
  logo?: string | undefined;
}

export interface DocumentView {
  title: 'Invoice' | 'Credit note';
  /** The seller's logo, a data URL; none without one. */
  logo?: string;
  number: string;
  /** Beside the number: issued, due, customer number, what it refers to, the service period. */
  facts: string[];
  status?: { text: string; tone: InvoiceRecord['status'] };
  seller: Party;
  buyer: Party;
  buyerTitle: string;
  lines: DocumentLine[];
  /** Net and VAT per rate, then the total, as printed. */
  totals: { label: string; value: string }[];
  total: string;
  /** What stands out: a failed payment, a void. */
  alerts: string[];
  /** What the customer is to do or gets: pay where, or where the credit went. */
  action?: string;
  notes: string[];
  footer: string[];
}

/** Where a draft's number will be: it takes one when it is issued. */
const DRAFT_NUMBER = 'Draft, not numbered yet';

const ROUNDING_NOTE = 'Prices are net. Each line is rounded once, half up, to the cent.';

export function invoiceDocument(invoice: InvoiceRecord, letterhead: Letterhead = {}): DocumentView {
  const c = invoice.currency;
  const action = paymentText(invoice);
  return {
    title: 'Invoice',
    ...(letterhead.logo ? { logo: letterhead.logo } : {}),
    number: invoice.number ?? DRAFT_NUMBER,
    facts: [...headerFacts(invoice), supplyText(invoice)],
    status: { text: STATUS_TEXT[invoice.status], tone: invoice.status },
    seller: invoice.seller,
    buyer: invoice.buyer,
    buyerTitle: 'Bill to',
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: grouped(decimalForPeople(l.quantity)),
      unit: l.unit,
      unitPrice: unitPrice(l.unitPrice, c),
      net: money(l.net, c),
    })),
    totals: [
      { label: 'Net', value: money(invoice.net, c) },
      ...invoice.taxes.map((t) => ({ label: `VAT ${grouped(t.rate)}% on ${money(t.net, c)}`, value: money(t.tax, c) })),
    ],
    total: money(invoice.gross, c),
    alerts: [
      ...invoice.payments.filter((p) => p.status === 'failed').map((f) => `Payment failed on ${f.at.slice(0, 10)}: ${(f.reason ?? '').replaceAll('_', ' ')}`),
      ...(invoice.voided ? [`Void since ${date(invoice.voided.at)}: ${invoice.voided.reason}. Nothing is to be paid.`] : []),
      ...(invoice.held ? [invoice.held.message] : []),
    ],
    ...(action ? { action } : {}),
    notes: [
      ...(new Money(invoice.credited).greaterThan(0) ? [`Credit notes credited ${money(invoice.credited, c)} of this invoice.`] : []),
      ...invoice.notes,
      ROUNDING_NOTE,
    ],
    footer: sellerFooter(invoice.seller),
  };
}

export function creditNoteDocument(note: CreditNoteRecord, letterhead: Letterhead = {}): DocumentView {
  const c = note.currency;
  const refunded = note.refunded;
  return {
    title: 'Credit note',
    ...(letterhead.logo ? { logo: letterhead.logo } : {}),
    number: note.number,
    facts: [
      `Issued ${date(note.issuedAt)}`,
      ...(note.buyer.customerNumber ? [`Customer number ${note.buyer.customerNumber}`] : []),
      `Credits invoice ${note.invoice.number} of ${date(new Date(note.invoice.issuedAt))}`,
      `Service period ${periodText({ start: new Date(note.invoice.period.start), end: new Date(note.invoice.period.end) })}`,
    ],
    seller: note.seller,
    buyer: note.buyer,
    buyerTitle: 'Credit to',
    lines: note.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity === null ? '' : negative(grouped(decimalForPeople(l.quantity))),
      unit: l.quantity === null ? '' : l.unit,
      unitPrice: l.unitPrice === null ? '' : unitPrice(l.unitPrice, c),
      net: money(negative(l.net), c),
    })),
    totals: [
      { label: 'Net', value: money(negative(note.net), c) },
      ...note.taxes.map((t) => ({ label: `VAT ${grouped(t.rate)}% on ${money(negative(t.net), c)}`, value: money(negative(t.tax), c) })),
    ],
    total: money(negative(note.gross), c),
    alerts: [],
    action: refunded
      ? `Credited to your balance: ${grouped(decimalForPeople(refunded.amount))} ${refunded.unit}.`
      : `${money(note.gross, c)} is taken off what invoice ${note.invoice.number} asks, or refunded to you if it is paid.`,
    notes: [`Reason: ${note.reason}`, ...note.notes, ROUNDING_NOTE],
    footer: sellerFooter(note.seller),
  };
}
