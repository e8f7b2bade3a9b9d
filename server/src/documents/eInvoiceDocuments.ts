// An invoice's or a credit note's e-invoice files, written by @e-invoice-eu/core from the domain's
// EN 16931 model (domain/invoice/eInvoice): the XRechnung CII XML, and the ZUGFeRD/Factur-X PDF, the
// document's own PDF made PDF/A-3 with its CII attached as factur-x.xml.
import { type Invoice as EInvoice, InvoiceService, type Logger } from '@e-invoice-eu/core';
import { creditNoteEInvoice, invoiceEInvoice } from '../domain/invoice/eInvoice';
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord } from '../store/invoices';
import type { Letterhead } from './documentView';
import { creditNotePdf, invoicePdf } from './invoicePdf';

/** The library's warnings (deprecations) are not the caller's concern; its errors are thrown. */
const quiet: Logger = { log: () => {}, warn: () => {}, error: () => {} };
const library = new InvoiceService(quiet);

/** XRechnung 3.0 in the CII syntax: its CustomizationID is the domain's, for every buyer. */
const XML_FORMAT = 'XRECHNUNG-CII';
/** Factur-X (ZUGFeRD 2) in its EN 16931 profile (Comfort): the attachment's guideline is the profile's own, urn:cen.eu:en16931:2017. */
const PDF_FORMAT = 'Factur-X-EN16931';

async function xml(model: EInvoice, locale: string): Promise<string> {
  return (await library.generate(model, { format: XML_FORMAT, lang: locale.toLowerCase(), noWarnings: true })) as string;
}

async function zugferd(model: EInvoice, locale: string, pdf: Buffer, filename: string): Promise<Buffer> {
  // The profile's guideline, not XRechnung's, so the attachment and the PDF's XMP metadata name the same profile.
  const { 'cbc:CustomizationID': _xrechnung, ...rest } = model['ubl:Invoice'];
  const made = await library.generate(
    { 'ubl:Invoice': rest },
    { format: PDF_FORMAT, lang: locale.toLowerCase(), pdf: { buffer: pdf, filename, mimetype: 'application/pdf' }, noWarnings: true },
  );
  return Buffer.from(made as Uint8Array);
}

export function invoiceXml(invoice: InvoiceRecord): Promise<string> {
  return xml(invoiceEInvoice(invoice), invoice.locale);
}

export function creditNoteXml(note: CreditNoteRecord): Promise<string> {
  return xml(creditNoteEInvoice(note), note.locale);
}

export async function invoiceZugferd(invoice: InvoiceRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  // Refused (a draft, a void invoice, a missing detail) before any PDF is drawn.
  const model = invoiceEInvoice(invoice);
  return zugferd(model, invoice.locale, await invoicePdf(invoice, letterhead), `${invoice.number}.pdf`);
}

export async function creditNoteZugferd(note: CreditNoteRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  const model = creditNoteEInvoice(note);
  return zugferd(model, note.locale, await creditNotePdf(note, letterhead), `${note.number}.pdf`);
}
