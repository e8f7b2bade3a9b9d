// An invoice's or a credit note's e-invoice files, written by @e-invoice-eu/core from the domain's
// EN 16931 model (domain/invoice/eInvoice): the XRechnung CII XML, and the ZUGFeRD/Factur-X PDF, the
// document's own PDF made PDF/A-3 with its CII attached as factur-x.xml.
import { createRequire } from 'node:module';
import type { FormatFactoryService, Invoice as EInvoice, InvoiceServiceOptions, Logger } from '@e-invoice-eu/core';
import { DomainFailure } from '../domain/errors';
import { creditNoteEInvoice, invoiceEInvoice } from '../domain/invoice/eInvoice';
import { eInvoiceRefused } from '../domain/refusals';
import type { CreditNoteRecord } from '../store/creditNotes';
import type { InvoiceRecord } from '../store/invoices';
import { DocumentCache, sourcesDigest } from './documentCache';
import type { Letterhead } from './documentView';
import { creditNotePdf, invoicePdf } from './invoicePdf';

/** The library's warnings (deprecations) are not the caller's concern; its errors are thrown. */
const quiet: Logger = { log: () => {}, warn: () => {}, error: () => {} };

/** What the library's JSON schema validation (Ajv) says of a model it refuses. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: { missingProperty?: string };
}
type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/**
 * The library, loaded with the first e-invoice asked for: it and what it brings (a spreadsheet
 * reader among them) weigh some 60 MiB of memory, which a server never asked for one should not carry.
 * Its InvoiceService compiles its JSON schema anew for every file (some 290 ms of the server's
 * thread); the same validation, compiled once per format, is kept here and the format's writer
 * called as the service would (validate, fill the format's defaults, write).
 */
let loaded: Promise<{ formats: FormatFactoryService; validator: (format: string) => Validate }> | undefined;
const eInvoicing = () =>
  (loaded ??= import('@e-invoice-eu/core').then((core) => {
    // The Ajv the library itself uses (its own dependency, not the one this package's tools bring).
    const ajvModule = createRequire(require.resolve('@e-invoice-eu/core'))('ajv/dist/2019');
    const Ajv2019 = (ajvModule.default ?? ajvModule) as new (options: object) => { compile(schema: object): Validate };
    const formats = new core.FormatFactoryService();
    const validators = new Map<string, Validate>();
    const validator = (format: string) => {
      const name = formats.normalizeFormat(format);
      let validate = validators.get(name);
      if (!validate) {
        const schema = structuredClone(core.invoiceSchema);
        formats.createFormatService(name, quiet).patchSchema(schema);
        validate = new Ajv2019({ strict: true, allErrors: true, useDefaults: true }).compile(schema);
        validators.set(name, validate);
      }
      return validate;
    };
    return { formats, validator };
  }));

/** XRechnung 3.0 in the CII syntax: its CustomizationID is the domain's, for every buyer. */
const XML_FORMAT = 'XRECHNUNG-CII';
/** Factur-X (ZUGFeRD 2) in its EN 16931 profile (Comfort): the attachment's guideline is the profile's own, urn:cen.eu:en16931:2017. */
const PDF_FORMAT = 'Factur-X-EN16931';

/** The catalog's or the account's field a path of the model comes from, where one does; the first that matches names it. */
const FIELDS: [RegExp, string][] = [
  [/AccountingSupplierParty\/.*Country/, 'invoicing.seller.country'],
  [/AccountingSupplierParty\/.*Telephone/, 'invoicing.seller.phone'],
  [/AccountingSupplierParty\/.*(EndpointID|ElectronicMail)/, 'invoicing.seller.email'],
  [/AccountingSupplierParty\/.*PostalAddress/, 'invoicing.seller.address'],
  [/AccountingSupplierParty\/.*PartyTaxScheme/, 'invoicing.seller.vatId'],
  [/AccountingSupplierParty/, 'invoicing.seller'],
  [/PayeeFinancialAccount/, 'invoicing.seller.bank'],
  [/AccountingCustomerParty\/.*Country/, 'billing.country'],
  [/AccountingCustomerParty\/.*(EndpointID|ElectronicMail)/, 'email'],
  [/AccountingCustomerParty\/.*PostalAddress/, 'billing.address'],
  [/AccountingCustomerParty\/.*PartyTaxScheme/, 'billing.vatId'],
  [/AccountingCustomerParty/, 'billing'],
];

/** The value at a JSON pointer of the model (Ajv's instancePath), for the refusal to quote. */
function at(model: unknown, pointer: string): unknown {
  let value = model;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/**
 * The library refusing a model the domain made complete (a country its code list lacks, stored before
 * countries were checked): an einvoice_incomplete naming the fields and what the standard says of
 * them, never a server error.
 */
function refusal(document: string, model: EInvoice, errors: readonly SchemaError[]): DomainFailure {
  const said = new Map<string, string>();
  for (const error of errors) {
    const path = error.params.missingProperty ? `${error.instancePath}/${error.params.missingProperty}` : error.instancePath;
    const field = FIELDS.find(([pattern]) => pattern.test(path))?.[1] ?? (path.replace(/^\/ubl:Invoice\/?/, '') || 'ubl:Invoice');
    const value = error.params.missingProperty ? undefined : at(model, error.instancePath);
    const quoted = typeof value === 'string' || typeof value === 'number' ? ` (${value})` : '';
    if (!said.has(field)) said.set(field, `${field}${quoted} ${error.message ?? 'is refused'}`);
  }
  if (said.size === 0) said.set('ubl:Invoice', 'ubl:Invoice is refused');
  return new DomainFailure(eInvoiceRefused(document, [...said.keys()], [...said.values()]));
}

/** Ajv's ValidationError (the library's schema, or its mapping) carries its errors; anything else is no refusal but a fault. */
const schemaErrors = (error: unknown): SchemaError[] | undefined =>
  error instanceof Error && Array.isArray((error as { errors?: unknown }).errors) ? (error as unknown as { errors: SchemaError[] }).errors : undefined;

/**
 * The library's file of a model, as its InvoiceService makes it: validated against its schema (with
 * its defaults filled in), the format's defaults filled, written by the format's writer. Its CII
 * writer reads a preceding invoice's number (BT-25) from the billing reference itself, where its own
 * model (and its validation) puts it one level down, under the invoice document reference: so a model
 * with a billing reference is validated as the library's model has it, then written with the number
 * also one level up, where the writer finds it. The date (BT-26) stays where the writer does not
 * look: it would write it in the wrong namespace (udt, where the schema wants qdt), and numbers here
 * are unique, which is when EN 16931 lets it be left out.
 */
async function written(document: string, model: EInvoice, options: InvoiceServiceOptions): Promise<string | Uint8Array> {
  const { formats, validator } = await eInvoicing();
  const validate = validator(options.format);
  const validated = structuredClone(model);
  if (!validate(validated)) throw refusal(document, model, validate.errors ?? []);
  const references = model['ubl:Invoice']['cac:BillingReference'];
  let readable = validated;
  if (references) {
    readable = structuredClone(model);
    readable['ubl:Invoice']['cac:BillingReference'] = references.map((r) => ({ ...r, 'cbc:ID': r['cac:InvoiceDocumentReference']['cbc:ID'] }));
  }
  const writer = formats.createFormatService(options.format, quiet);
  writer.fillInvoiceDefaults(readable);
  try {
    return await writer.generate(readable, { ...options, format: formats.normalizeFormat(options.format) });
  } catch (error) {
    const errors = schemaErrors(error);
    if (errors) throw refusal(document, model, errors);
    throw error;
  }
}

/** The XRechnungs and ZUGFeRD PDFs made lately, by the document and what they were made from. */
const xmlFiles = new DocumentCache<string>();
const pdfFiles = new DocumentCache<Uint8Array>();

/** A document as its files are named: its id, its number, and its name in a refusal ("Invoice CM-2026-000001"). */
interface Named {
  id: string;
  number: string;
  name: string;
  locale: string;
}

function xml(document: Named, model: EInvoice): Promise<string> {
  const key = `${document.id}:${sourcesDigest([model, document.locale])}`;
  return xmlFiles.file(key, async () => {
    const made = await written(document.name, model, { format: XML_FORMAT, lang: document.locale.toLowerCase(), noWarnings: true });
    return made as string;
  });
}

/** The last logo's digest: the same catalog's logo (some 100 KiB as a data URL) is hashed once. */
let logoDigest: { logo: string | undefined; digest: string } | undefined;
function letterheadDigest(letterhead: Letterhead): string {
  if (logoDigest === undefined || logoDigest.logo !== letterhead.logo) logoDigest = { logo: letterhead.logo, digest: sourcesDigest(letterhead.logo ?? null) };
  return logoDigest.digest;
}

function zugferd(
  document: Named,
  model: EInvoice,
  sources: { record: InvoiceRecord | CreditNoteRecord; letterhead: Letterhead },
  pdf: () => Promise<Buffer>,
): Promise<Buffer> {
  const key = `${document.id}:${sourcesDigest([sources.record, letterheadDigest(sources.letterhead)])}`;
  return pdfFiles
    .file(key, async () => {
      // The profile's guideline, not XRechnung's, so the attachment and the PDF's XMP metadata name the same profile.
      const { 'cbc:CustomizationID': _xrechnung, ...rest } = model['ubl:Invoice'];
      const made = await written(
        document.name,
        { 'ubl:Invoice': rest },
        {
          format: PDF_FORMAT,
          lang: document.locale.toLowerCase(),
          pdf: { buffer: await pdf(), filename: `${document.number}.pdf`, mimetype: 'application/pdf' },
          noWarnings: true,
        },
      );
      return made as Uint8Array;
    })
    .then((made) => Buffer.from(made));
}

const invoiceNamed = (invoice: InvoiceRecord): Named => ({
  id: invoice.id,
  number: invoice.number ?? invoice.id,
  name: `Invoice ${invoice.number}`,
  locale: invoice.locale,
});

export function invoiceXml(invoice: InvoiceRecord): Promise<string> {
  return xml(invoiceNamed(invoice), invoiceEInvoice(invoice, 'xrechnung'));
}

export function creditNoteXml(note: CreditNoteRecord): Promise<string> {
  return xml({ id: note.id, number: note.number, name: `Credit note ${note.number}`, locale: note.locale }, creditNoteEInvoice(note, 'xrechnung'));
}

export async function invoiceZugferd(invoice: InvoiceRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  // Refused (a draft, a void invoice, a missing detail) before any PDF is drawn.
  const model = invoiceEInvoice(invoice);
  return zugferd(invoiceNamed(invoice), model, { record: invoice, letterhead }, () => invoicePdf(invoice, letterhead));
}

export async function creditNoteZugferd(note: CreditNoteRecord, letterhead: Letterhead = {}): Promise<Buffer> {
  const model = creditNoteEInvoice(note);
  return zugferd({ id: note.id, number: note.number, name: `Credit note ${note.number}`, locale: note.locale }, model, { record: note, letterhead }, () =>
    creditNotePdf(note, letterhead),
  );
}
