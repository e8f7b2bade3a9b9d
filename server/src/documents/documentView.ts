// An invoice or a credit note as its page and its PDF show it: the same parts in words and figures
// for people. Both renderers draw this view, so the two documents share one layout; a credit note
// is an invoice-like document that names the invoice it credits and reads its figures negative.
import { localFormat, type LocalFormat } from '../domain/display/localFormat';
import { REVERSE_CHARGE_NOTE } from '../domain/invoice/Invoice';
import { Money } from '../domain/money';
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord, Party } from '../store/invoices';
import { headerFacts, negative, paymentText, sellerFooter, supplyText } from './invoiceText';

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
  /** The document's language (BCP 47), for the page's lang and the PDF's. */
  locale: string;
  title: string;
  /** The seller's logo, a data URL; none without one. */
  logo?: string;
  number: string;
  /** Beside the number: issued, due, customer number, what it refers to, the service period. */
  facts: string[];
  status?: { text: string; tone: InvoiceRecord['status'] };
  seller: Party;
  buyer: Party;
  /** Each party's lines under its name: address, country by name, VAT id, e-mail. */
  sellerLines: string[];
  buyerLines: string[];
  sellerTitle: string;
  buyerTitle: string;
  columns: { description: string; quantity: string; unit: string; unitPrice: string; net: string };
  totalLabel: string;
  /** "Page 1 of 2" in the document's language. */
  page: (page: number, pages: number) => string;
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

/** The parts every document has alike, in its language: the parties' lines, headings, page numbers, footer. */
function frame(f: LocalFormat, { seller, buyer }: { seller: InvoiceRecord['seller']; buyer: Party }) {
  const t = f.texts.document;
  const partyLines = (p: Party): string[] => {
    const country = p.country ? f.country(p.country) : undefined;
    // An address that ends with the country's name already does not repeat it.
    const named = country !== undefined && p.address.length > 0 && p.address[p.address.length - 1]!.toLowerCase() === country.toLowerCase();
    return [...p.address, ...(country && !named ? [country] : []), ...(p.vatId ? [t.vatId(p.vatId)] : []), ...(p.email ? [p.email] : [])];
  };
  return {
    locale: f.locale,
    seller,
    buyer,
    sellerLines: partyLines(seller),
    buyerLines: partyLines(buyer),
    sellerTitle: t.from,
    columns: t.columns,
    totalLabel: t.total,
    page: t.page,
    footer: sellerFooter(seller, f),
  };
}

/** A note stored in English when the document was issued (the reverse charge), in the document's language. */
const noteText = (note: string, f: LocalFormat) => (note === REVERSE_CHARGE_NOTE ? f.texts.document.reverseCharge : note);

export function invoiceDocument(invoice: InvoiceRecord, letterhead: Letterhead = {}): DocumentView {
  const f = localFormat(invoice);
  const t = f.texts.document;
  const c = invoice.currency;
  const action = paymentText(invoice, f);
  return {
    ...frame(f, invoice),
    title: t.invoice,
    ...(letterhead.logo ? { logo: letterhead.logo } : {}),
    // A draft takes its number when it is issued.
    number: invoice.number ?? t.draftNumber,
    facts: [...headerFacts(invoice, f), supplyText(invoice, f)],
    status: { text: t.status[invoice.status], tone: invoice.status },
    buyerTitle: t.billTo,
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: f.figure(l.quantity),
      unit: f.unit(l.unit),
      unitPrice: f.unitPrice(l.unitPrice, c),
      net: f.money(l.net, c),
    })),
    totals: [
      { label: t.net, value: f.money(invoice.net, c) },
      ...invoice.taxes.map((tax) => ({ label: t.vat(f.rate(tax.rate), f.money(tax.net, c)), value: f.money(tax.tax, c) })),
    ],
    total: f.money(invoice.gross, c),
    alerts: [
      ...invoice.payments
        .filter((p) => p.status === 'failed')
        .map((p) => t.paymentFailed(f.day(new Date(p.at)), t.paymentFailures[p.reason ?? ''] ?? (p.reason ?? '').replaceAll('_', ' '))),
      ...(invoice.voided ? [t.voided(f.day(invoice.voided.at), invoice.voided.reason)] : []),
      ...(invoice.held ? [invoice.held.message] : []),
    ],
    ...(action ? { action } : {}),
    notes: [
      ...(new Money(invoice.credited).greaterThan(0) ? [t.credited(f.money(invoice.credited, c))] : []),
      ...invoice.notes.map((note) => noteText(note, f)),
      t.rounding,
    ],
  };
}

export function creditNoteDocument(note: CreditNoteRecord, letterhead: Letterhead = {}): DocumentView {
  const f = localFormat(note);
  const t = f.texts.document;
  const c = note.currency;
  const refunded = note.refunded;
  return {
    ...frame(f, note),
    title: t.creditNote,
    ...(letterhead.logo ? { logo: letterhead.logo } : {}),
    number: note.number,
    facts: [
      t.noteIssued(f.day(note.issuedAt)),
      ...(note.buyer.customerNumber ? [t.customerNumber(note.buyer.customerNumber)] : []),
      t.creditsInvoice(note.invoice.number, f.day(new Date(note.invoice.issuedAt))),
      t.servicePeriod(f.period({ start: new Date(note.invoice.period.start), end: new Date(note.invoice.period.end) })),
    ],
    buyerTitle: t.creditTo,
    lines: note.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity === null ? '' : f.figure(negative(l.quantity)),
      unit: l.quantity === null ? '' : f.unit(l.unit),
      unitPrice: l.unitPrice === null ? '' : f.unitPrice(l.unitPrice, c),
      net: f.money(negative(l.net), c),
    })),
    totals: [
      { label: t.net, value: f.money(negative(note.net), c) },
      ...note.taxes.map((tax) => ({ label: t.vat(f.rate(tax.rate), f.money(negative(tax.net), c)), value: f.money(negative(tax.tax), c) })),
    ],
    total: f.money(negative(note.gross), c),
    alerts: [],
    action: refunded ? t.creditedToBalance(f.money(refunded.amount, refunded.unit)) : t.takenOff(f.money(note.gross, c), note.invoice.number),
    notes: [t.reason(note.reason), ...note.notes.map((n) => noteText(n, f)), t.rounding],
  };
}
