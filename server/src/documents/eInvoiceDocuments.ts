// An invoice's or a credit note's e-invoice files, written by @e-invoice-eu/core from the domain's
// EN 16931 model (domain/invoice/eInvoice): the XRechnung CII XML, and the ZUGFeRD/Factur-X PDF, the
// document's own PDF made PDF/A-3 with its CII attached as factur-x.xml.
import type { Invoice as EInvoice, InvoiceServiceOptions, Logger } from '@e-invoice-eu/core';
import { creditNoteEInvoice, invoiceEInvoice } from '../domain/invoice/eInvoice';
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord } from '../store/invoices';
import type { Letterhead } from './documentView';
import { creditNotePdf, invoicePdf } from './invoicePdf';

/** The library's warnings (deprecations) are not the caller's concern; its errors are thrown. */
const quiet: Logger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * The library, loaded with the first e-invoice asked for: it and what it brings (a spreadsheet
 * reader among them) weigh some 60 MiB of memory, which a server never asked for one should not carry.
 */
let loaded: Promise<{ library: import('@e-invoice-eu/core').InvoiceService; formats: import('@e-invoice-eu/core').FormatFactoryService }> | undefined;
const eInvoicing = () =>
  (loaded ??= import('@e-invoice-eu/core').then((core) => ({ library: new core.InvoiceService(quiet), formats: new core.FormatFactoryService() })));

/** XRechnung 3.0 in the CII syntax: its CustomizationID is the domain's, for every buyer. */
const XML_FORMAT = 'XRECHNUNG-CII';
/** Factur-X (ZUGFeRD 2) in its EN 16931 profile (Comfort): the attachment's guideline is the profile's own, urn:cen.eu:en16931:2017. */
const PDF_FORMAT = 'Factur-X-EN16931';

/**
 * The library's file of a model. Its CII writer reads a preceding invoice's number (BT-25) from the
 * billing reference itself, where its own model (and its validation) puts it one level down, under
 * the invoice document reference: so a model with a billing reference is first validated as the
 * library's model has it, then written by the format's writer with the number also one level up,
 * where the writer finds it. The date (BT-26) stays where the writer does not look: it would write
 * it in the wrong namespace (udt, where the schema wants qdt), and numbers here are unique, which
 * is when EN 16931 lets it be left out.
 */
async function written(model: EInvoice, options: InvoiceServiceOptions): Promise<string | Uint8Array> {
  const { library, formats } = await eInvoicing();
  const references = model['ubl:Invoice']['cac:BillingReference'];
  if (!references) return library.generate(model, options);
  await library.generate(model, { format: 'CII', lang: options.lang, noWarnings: true });
  const readable = structuredClone(model);
  readable['ubl:Invoice']['cac:BillingReference'] = references.map((r) => ({ ...r, 'cbc:ID': r['cac:InvoiceDocumentReference']['cbc:ID'] }));
  const writer = formats.createFormatService(options.format, quiet);
  writer.fillInvoiceDefaults(readable);
  return writer.generate(readable, { ...options, format: formats.normalizeFormat(options.format) });
}

async function xml(model: EInvoice, locale: string): Promise<string> {
  return (await written(model, { format: XML_FORMAT, lang: locale.toLowerCase(), noWarnings: true })) as string;
}

async function zugferd(model: EInvoice, locale: string, pdf: Buffer, filename: string): Promise<Buffer> {
  // The profile's guideline, not XRechnung's, so the attachment and the PDF's XMP metadata name the same profile.
  const { 'cbc:CustomizationID': _xrechnung, ...rest } = model['ubl:Invoice'];
  const { library } = await eInvoicing();
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
