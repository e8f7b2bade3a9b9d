// An issued invoice or credit note as an EN 16931 e-invoice: the same record its page and PDF are
// drawn from, in the semantic model of @e-invoice-eu/core (UBL-named business terms, which the
// library writes as CII for XRechnung and Factur-X). Every amount is the document's own, to the
// cent, so the XML sums exactly as the PDF does; what EN 16931 requires and the record lacks is
// named, and the e-invoice refused, rather than made up.
import type { Invoice as EInvoice } from '@e-invoice-eu/core';
import { vatIdCountry } from '../account/Account';
import { DomainFailure } from '../errors';
import { COUNTRY_CODES, isCountryCode } from '../display/Country';
import { localFormat } from '../display/localFormat';
import { money, Money } from '../money';
import { eInvoiceIncomplete, invoiceDraft, invoiceVoid } from '../refusals';
import { amountDue, CENTS, REVERSE_CHARGE_NOTE } from './Invoice';

/** A party as invoices name it (see store/invoices: Party, Seller, Buyer). */
export interface EInvoiceParty {
  name: string;
  address: string[];
  country?: string;
  vatId?: string;
  email?: string;
}

export interface EInvoiceSeller extends EInvoiceParty {
  taxNumber?: string;
  register?: string;
  managingDirectors?: string[];
  phone?: string;
  bank?: { accountHolder?: string; iban: string; bic?: string; bank?: string };
}

export interface EInvoiceBuyer extends EInvoiceParty {
  customerNumber?: string;
}

interface EInvoiceLine {
  description: string;
  /** Null on a credit note's line that credits an amount rather than a quantity. */
  quantity: string | null;
  unit: string;
  unitPrice: string | null;
  net: string;
  taxRate: string;
}

/** What both documents have alike: parties, lines, VAT per rate, totals, notes, language. */
interface Common {
  accountId: string;
  issuedAt: Date;
  currency: string;
  seller: EInvoiceSeller;
  buyer: EInvoiceBuyer;
  lines: EInvoiceLine[];
  taxes: { rate: string; net: string; tax: string }[];
  net: string;
  tax: string;
  gross: string;
  notes: string[];
  locale: string;
  timeZone: string;
}

/** An invoice (see store/invoices: InvoiceRecord); only an issued one that stands is e-invoiced. */
export interface InvoiceSource extends Common {
  id: string;
  number: string | null;
  kind: 'cycle' | 'proration' | 'opening' | 'topup';
  period: { start: Date; end: Date };
  dueAt: Date | null;
  status: 'draft' | 'open' | 'paid' | 'failed' | 'void';
  credited: string;
}

/** A credit note (see store/creditNotes: CreditNoteRecord). */
export interface CreditNoteSource extends Common {
  number: string;
  invoice: { number: string; issuedAt: string; period: { start: string; end: string } };
  reason: string;
}

/** The CustomizationID every e-invoice here carries: XRechnung 3.0, a CIUS of EN 16931 (so EN 16931 compliant for any buyer). */
export const XRECHNUNG_3 = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';
/** The reason a reverse-charge VAT breakdown gives (BT-121 code, BT-120 text). */
const REVERSE_CHARGE_CODE = 'VATEX-EU-AE';
/** Invoice (UNTDID 1001 380) and credit note (381). */
const INVOICE = '380';
const CREDIT_NOTE = '381';

/**
 * UN/ECE Recommendation 20 codes for the units invoices count in: minutes, seconds, hours, months,
 * years; a thousand of something ("1000 tokens") is T3; everything else counted one by one (a
 * segment, a conversation, a pack, a rent, a top-up) is C62, "one".
 */
const UNIT_CODES: Record<string, string> = { minute: 'MIN', second: 'SEC', hour: 'HUR', day: 'DAY', month: 'MON', year: 'ANN' };

export function unitCode(unit: string): string {
  if (/^1000 /.test(unit)) return 'T3';
  return UNIT_CODES[unit] ?? 'C62';
}

type Category = 'S' | 'AE' | 'Z';

/** The VAT category of a rate on this document: a reverse charge is AE at 0%, another 0% is zero-rated (Z), any other rate standard (S). */
function categoryOf(rate: string, reverseCharge: boolean): Category {
  if (reverseCharge) return 'AE';
  return money(rate).isZero() ? 'Z' : 'S';
}

/** Country codes by their names (English and German), which an address's last line may give instead of a code. */
const REGIONS = (() => {
  const names = new Map<string, string>();
  const english = new Intl.DisplayNames(['en'], { type: 'region' });
  const german = new Intl.DisplayNames(['de'], { type: 'region' });
  for (const code of COUNTRY_CODES)
    for (const display of [english, german]) {
      const name = display.of(code);
      if (name && name !== code && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), code);
    }
  return names;
})();

/** A postal address from an invoice's free lines: street lines, then "10115 Berlin" (post code and city), then perhaps the country's name. */
export interface PostalAddress {
  lines: string[];
  postCode?: string;
  city?: string;
  country?: string;
}

export function postalAddress(party: Pick<EInvoiceParty, 'address' | 'country' | 'vatId'>): PostalAddress {
  const lines = [...party.address];
  const named = lines.length > 0 ? REGIONS.get(lines[lines.length - 1]!.trim().toLowerCase()) : undefined;
  if (named) lines.pop();
  // A VAT id's prefix names a country only where it is one (EL is Greece, GR).
  const prefix = vatIdCountry(party.vatId);
  const fromVatId = prefix && isCountryCode(prefix) ? prefix : undefined;
  const country = party.country ?? named ?? fromVatId;
  // The post code leads its line ("10115 Berlin", "A-1010 Wien"); the first of several lines is the
  // street, even where a house number leads it ("3 Main Street"). Otherwise the last line is the city.
  const at = lines.map((line, i) => (i > 0 || lines.length === 1) && /^[A-Z]{0,2}-?\d[\dA-Z-]*\s+\S/.test(line.trim())).lastIndexOf(true);
  const place = at >= 0 ? /^(\S+)\s+(.+)$/.exec(lines[at]!.trim()) : null;
  const street = place ? lines.filter((_, i) => i !== at) : lines.slice(0, -1);
  const city = place ? place[2] : lines[lines.length - 1];
  return { lines: street, ...(place ? { postCode: place[1] } : {}), ...(city ? { city } : {}), ...(country ? { country } : {}) };
}

/**
 * The profile an e-invoice is checked against: EN 16931 itself (the ZUGFeRD PDF's Factur-X EN 16931
 * profile), or XRechnung 3.0 (the .xml), which asks more of the parties (see missingForEInvoice).
 */
export type EInvoiceProfile = 'en16931' | 'xrechnung';

/**
 * The business terms EN 16931 requires that this document lacks, as the catalog or the account names
 * them; for XRechnung 3.0 also those its rules add: the seller's post code (BR-DE-4), contact
 * telephone (BR-DE-6) and e-mail (BR-DE-7, and as its electronic address PEPPOL-EN16931-R020), the
 * buyer's post code (BR-DE-9) and electronic address, the account's e-mail (PEPPOL-EN16931-R010,
 * part of XRechnung's rules since 3.0).
 */
export function missingForEInvoice(doc: Pick<Common, 'seller' | 'buyer' | 'notes' | 'taxes'>, profile: EInvoiceProfile = 'en16931'): string[] {
  const xrechnung = profile === 'xrechnung';
  const seller = postalAddress(doc.seller);
  const buyer = postalAddress(doc.buyer);
  const reverseCharge = doc.notes.includes(REVERSE_CHARGE_NOTE);
  const missing: string[] = [];
  // The post code leads the city's line ("10115 Berlin"): without it the address is incomplete for XRechnung.
  if (!seller.city || (xrechnung && !seller.postCode)) missing.push('invoicing.seller.address');
  if (!seller.country) missing.push('invoicing.seller.country');
  // BR-S-02/BR-AE-02: the seller's VAT id (a reverse charge) or its tax number (standard rate).
  if (reverseCharge ? !doc.seller.vatId : !doc.seller.vatId && !doc.seller.taxNumber) missing.push('invoicing.seller.vatId');
  if (xrechnung && !doc.seller.phone) missing.push('invoicing.seller.phone');
  if (xrechnung && !doc.seller.email) missing.push('invoicing.seller.email');
  if (!buyer.city || (xrechnung && !buyer.postCode)) missing.push('billing.address');
  if (!buyer.country) missing.push('billing.country');
  if (reverseCharge && !doc.buyer.vatId) missing.push('billing.vatId');
  if (xrechnung && !doc.buyer.email) missing.push('email');
  return missing;
}

const day = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
/** A cycle's days run in UTC and its end is exclusive: its last day is the one before. */
const periodDays = (period: { start: Date; end: Date }) => ({
  start: period.start.toISOString().slice(0, 10),
  end: new Date(Math.max(period.start.getTime(), period.end.getTime() - 1)).toISOString().slice(0, 10),
});
const cents = (value: Money | string) => money(value).toFixed(CENTS);

/** The document totals (BT-106 to BT-115), each in the document's currency. */
function monetaryTotal(
  currency: string,
  totals: { net: string; gross: string; prepaid?: string; payable: string },
): EInvoice['ubl:Invoice']['cac:LegalMonetaryTotal'] {
  const c = currency as never;
  return {
    'cbc:LineExtensionAmount': cents(totals.net),
    'cbc:LineExtensionAmount@currencyID': c,
    'cbc:TaxExclusiveAmount': cents(totals.net),
    'cbc:TaxExclusiveAmount@currencyID': c,
    'cbc:TaxInclusiveAmount': cents(totals.gross),
    'cbc:TaxInclusiveAmount@currencyID': c,
    ...(totals.prepaid ? { 'cbc:PrepaidAmount': totals.prepaid, 'cbc:PrepaidAmount@currencyID': c } : {}),
    'cbc:PayableAmount': cents(totals.payable),
    'cbc:PayableAmount@currencyID': c,
  };
}

/**
 * A unit price as BT-146 over a base quantity (BT-149): the library takes prices to the cent, so
 * 0.0125 EUR a minute is 1.25 EUR per 100 minutes, exactly. A negative line (a proration's credit
 * back) keeps its price positive (BR-27) and its quantity negative.
 */
function priced(quantity: string | null, unitPrice: string | null, net: string) {
  if (quantity === null || unitPrice === null)
    return { quantity: '1', price: cents(money(net).abs()), base: undefined, sign: money(net).isNegative() ? -1 : 1 };
  const price = money(unitPrice);
  const places = Math.max(0, price.decimalPlaces() - CENTS);
  const base = new Money(10).pow(places);
  const q = price.isNegative() ? money(quantity).negated() : money(quantity);
  return { quantity: q.toFixed(), price: price.abs().times(base).toFixed(CENTS), base: places > 0 ? base.toFixed() : undefined, sign: 1 };
}

type Party = EInvoice['ubl:Invoice']['cac:AccountingSupplierParty']['cac:Party'];
type BuyerParty = EInvoice['ubl:Invoice']['cac:AccountingCustomerParty']['cac:Party'];
type Line = EInvoice['ubl:Invoice']['cac:InvoiceLine'][number];

/** EN 16931's country code list is ISO 3166-1's, with Kosovo as 1A where others write XK. */
const en16931Country = (code: string) => (code === 'XK' ? '1A' : code);

function address(a: PostalAddress): Party['cac:PostalAddress'] {
  return {
    ...(a.lines[0] ? { 'cbc:StreetName': a.lines[0] } : {}),
    ...(a.lines[1] ? { 'cbc:AdditionalStreetName': a.lines[1] } : {}),
    ...(a.city ? { 'cbc:CityName': a.city } : {}),
    ...(a.postCode ? { 'cbc:PostalZone': a.postCode } : {}),
    ...(a.lines.length > 2 ? { 'cac:AddressLine': { 'cbc:Line': a.lines.slice(2).join(', ') } } : {}),
    'cac:Country': { 'cbc:IdentificationCode': en16931Country(a.country!) as Party['cac:PostalAddress']['cac:Country']['cbc:IdentificationCode'] },
  };
}

function sellerParty(doc: Common): Party {
  const s = doc.seller;
  const f = localFormat(doc);
  const taxIds = [
    ...(s.vatId ? [{ 'cbc:CompanyID': s.vatId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }] : []),
    ...(s.taxNumber ? [{ 'cbc:CompanyID': s.taxNumber, 'cac:TaxScheme': { 'cbc:ID': 'FC' } }] : []),
  ] as Party['cac:PartyTaxScheme'];
  return {
    ...(s.email ? { 'cbc:EndpointID': s.email, 'cbc:EndpointID@schemeID': 'EM' as const } : {}),
    'cac:PostalAddress': address(postalAddress(s)),
    ...(taxIds && taxIds.length > 0 ? { 'cac:PartyTaxScheme': taxIds } : {}),
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': s.name,
      ...(s.register ? { 'cbc:CompanyID': s.register } : {}),
      ...(s.managingDirectors ? { 'cbc:CompanyLegalForm': f.texts.document.managingDirectors(s.managingDirectors) } : {}),
    },
    'cac:Contact': { 'cbc:Name': s.name, ...(s.phone ? { 'cbc:Telephone': s.phone } : {}), ...(s.email ? { 'cbc:ElectronicMail': s.email } : {}) },
  };
}

function buyerParty(doc: Common): BuyerParty {
  const b = doc.buyer;
  return {
    ...(b.email ? { 'cbc:EndpointID': b.email, 'cbc:EndpointID@schemeID': 'EM' as const } : {}),
    'cac:PartyIdentification': { 'cbc:ID': b.customerNumber ?? doc.accountId },
    'cac:PostalAddress': address(postalAddress(b)) as BuyerParty['cac:PostalAddress'],
    ...(b.vatId ? { 'cac:PartyTaxScheme': { 'cbc:CompanyID': b.vatId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } } : {}),
    'cac:PartyLegalEntity': { 'cbc:RegistrationName': b.name },
    ...(b.email ? { 'cac:Contact': { 'cbc:ElectronicMail': b.email } } : {}),
  };
}

function lines(doc: Common, reverseCharge: boolean): EInvoice['ubl:Invoice']['cac:InvoiceLine'] {
  const made = doc.lines.map((l, i): Line => {
    const p = priced(l.quantity, l.unitPrice, l.net);
    const category = categoryOf(l.taxRate, reverseCharge);
    const unit = (l.quantity === null ? 'C62' : unitCode(l.unit)) as Line['cbc:InvoicedQuantity@unitCode'];
    return {
      'cbc:ID': String(i + 1),
      'cbc:InvoicedQuantity': p.sign < 0 ? `-${p.quantity}` : p.quantity,
      'cbc:InvoicedQuantity@unitCode': unit,
      'cbc:LineExtensionAmount': cents(l.net),
      'cbc:LineExtensionAmount@currencyID': doc.currency as never,
      'cac:Item': {
        'cbc:Name': l.description,
        'cac:ClassifiedTaxCategory': { 'cbc:ID': category, 'cbc:Percent': money(l.taxRate).toFixed(), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
      },
      'cac:Price': {
        'cbc:PriceAmount': p.price,
        'cbc:PriceAmount@currencyID': doc.currency as never,
        ...(p.base ? { 'cbc:BaseQuantity': p.base, 'cbc:BaseQuantity@unitCode': unit } : {}),
      },
    } as Line;
  });
  return made as EInvoice['ubl:Invoice']['cac:InvoiceLine'];
}

function taxTotal(doc: Common, reverseCharge: boolean): EInvoice['ubl:Invoice']['cac:TaxTotal'] {
  return [
    {
      'cbc:TaxAmount': cents(doc.tax),
      'cbc:TaxAmount@currencyID': doc.currency as never,
      'cac:TaxSubtotal': doc.taxes.map((t) => {
        const category = categoryOf(t.rate, reverseCharge);
        return {
          'cbc:TaxableAmount': cents(t.net),
          'cbc:TaxableAmount@currencyID': doc.currency,
          'cbc:TaxAmount': cents(t.tax),
          'cbc:TaxAmount@currencyID': doc.currency,
          'cac:TaxCategory': {
            'cbc:ID': category,
            'cbc:Percent': money(t.rate).toFixed(),
            ...(category === 'AE'
              ? { 'cbc:TaxExemptionReasonCode': REVERSE_CHARGE_CODE, 'cbc:TaxExemptionReason': localFormat(doc).texts.document.reverseCharge }
              : {}),
            'cac:TaxScheme': { 'cbc:ID': 'VAT' },
          },
        };
      }) as never,
    },
  ];
}

/** How the invoice is paid: by SEPA credit transfer to the seller's account where the catalog names one; otherwise as agreed (ZZZ). */
function paymentMeans(doc: Common, reference: string): EInvoice['ubl:Invoice']['cac:PaymentMeans'] {
  const bank = doc.seller.bank;
  if (!bank) return [{ 'cbc:PaymentMeansCode': 'ZZZ' as never, 'cbc:PaymentID': reference }];
  return [
    {
      // 58: SEPA credit transfer to the seller's account.
      'cbc:PaymentMeansCode': '58' as never,
      'cbc:PaymentID': reference,
      'cac:PayeeFinancialAccount': {
        'cbc:ID': bank.iban,
        'cbc:Name': bank.accountHolder ?? doc.seller.name,
        ...(bank.bic ? { 'cac:FinancialInstitutionBranch': { 'cbc:ID': bank.bic } } : {}),
      },
    },
  ];
}

/** Notes stored in English (the reverse charge) in the document's language, as its PDF prints them. */
const noteTexts = (doc: Common) => doc.notes.map((note) => (note === REVERSE_CHARGE_NOTE ? localFormat(doc).texts.document.reverseCharge : note));

function refuseIncomplete(document: string, doc: Common, profile: EInvoiceProfile): void {
  const missing = missingForEInvoice(doc, profile);
  if (missing.length > 0) throw new DomainFailure(eInvoiceIncomplete(document, missing));
}

/**
 * The e-invoice of an issued invoice: type 380, its service period, due date, payment terms, and what
 * it still asks; refused where the profile's details are missing (EN 16931's unless XRechnung is asked).
 */
export function invoiceEInvoice(invoice: InvoiceSource, profile: EInvoiceProfile = 'en16931'): EInvoice {
  // A draft has no number yet, and a void invoice asks for nothing: neither goes out as an e-invoice.
  if (invoice.number === null || invoice.status === 'draft') throw new DomainFailure(invoiceDraft(invoice.id, 'an e-invoice'));
  if (invoice.status === 'void') throw new DomainFailure(invoiceVoid(invoice.number, 'e-invoices'));
  refuseIncomplete(`Invoice ${invoice.number}`, invoice, profile);
  const reverseCharge = invoice.notes.includes(REVERSE_CHARGE_NOTE);
  const f = localFormat(invoice);
  const due = amountDue(invoice);
  const period = periodDays(invoice.period);
  const terms =
    invoice.dueAt && invoice.dueAt.getTime() > invoice.issuedAt.getTime() ? f.texts.document.due(f.day(invoice.dueAt)) : f.texts.document.dueOnReceipt;
  return {
    'ubl:Invoice': {
      'cbc:CustomizationID': XRECHNUNG_3,
      'cbc:ID': invoice.number,
      'cbc:IssueDate': day(invoice.issuedAt, invoice.timeZone),
      ...(invoice.dueAt ? { 'cbc:DueDate': day(invoice.dueAt, invoice.timeZone) } : {}),
      'cbc:InvoiceTypeCode': INVOICE,
      ...(invoice.notes.length > 0 ? { 'cbc:Note': noteTexts(invoice) } : {}),
      'cbc:DocumentCurrencyCode': invoice.currency as never,
      'cbc:BuyerReference': invoice.buyer.customerNumber ?? invoice.accountId,
      'cac:InvoicePeriod': { 'cbc:StartDate': period.start, 'cbc:EndDate': period.end },
      'cac:AccountingSupplierParty': { 'cac:Party': sellerParty(invoice) },
      'cac:AccountingCustomerParty': { 'cac:Party': buyerParty(invoice) },
      // CII requires the delivery's element, which the library writes only with content: the day the supply
      // was completed (BT-72), a top-up's day or the period's last day.
      'cac:Delivery': { 'cbc:ActualDeliveryDate': period.end },
      'cac:PaymentMeans': paymentMeans(invoice, invoice.number),
      'cac:PaymentTerms': { 'cbc:Note': terms },
      'cac:TaxTotal': taxTotal(invoice, reverseCharge),
      // Paid, or credited by credit notes: what the invoice no longer asks (BT-113).
      'cac:LegalMonetaryTotal': monetaryTotal(invoice.currency, {
        net: invoice.net,
        gross: invoice.gross,
        ...(money(invoice.gross).minus(due).isZero() ? {} : { prepaid: cents(money(invoice.gross).minus(due)) }),
        payable: due,
      }),
      'cac:InvoiceLine': lines(invoice, reverseCharge),
    },
  };
}

/** The e-invoice of a credit note: type 381, naming the invoice it corrects (BT-25) and why; its amounts positive, as EN 16931 has them. */
export function creditNoteEInvoice(note: CreditNoteSource, profile: EInvoiceProfile = 'en16931'): EInvoice {
  refuseIncomplete(`Credit note ${note.number}`, note, profile);
  const reverseCharge = note.notes.includes(REVERSE_CHARGE_NOTE);
  const f = localFormat(note);
  const period = periodDays({ start: new Date(note.invoice.period.start), end: new Date(note.invoice.period.end) });
  return {
    'ubl:Invoice': {
      'cbc:CustomizationID': XRECHNUNG_3,
      'cbc:ID': note.number,
      'cbc:IssueDate': day(note.issuedAt, note.timeZone),
      'cbc:InvoiceTypeCode': CREDIT_NOTE,
      'cbc:Note': [f.texts.document.reason(note.reason), ...noteTexts(note)],
      'cbc:DocumentCurrencyCode': note.currency as never,
      'cbc:BuyerReference': note.buyer.customerNumber ?? note.accountId,
      'cac:InvoicePeriod': { 'cbc:StartDate': period.start, 'cbc:EndDate': period.end },
      'cac:BillingReference': [
        { 'cac:InvoiceDocumentReference': { 'cbc:ID': note.invoice.number, 'cbc:IssueDate': day(new Date(note.invoice.issuedAt), note.timeZone) } },
      ],
      'cac:AccountingSupplierParty': { 'cac:Party': sellerParty(note) },
      'cac:AccountingCustomerParty': { 'cac:Party': buyerParty(note) },
      'cac:Delivery': { 'cbc:ActualDeliveryDate': period.end },
      // The seller pays back (or credits the balance): nothing is to be transferred to its account.
      'cac:PaymentMeans': [{ 'cbc:PaymentMeansCode': 'ZZZ' as never, 'cbc:PaymentID': note.number }],
      'cac:TaxTotal': taxTotal(note, reverseCharge),
      'cac:LegalMonetaryTotal': monetaryTotal(note.currency, { net: note.net, gross: note.gross, payable: note.gross }),
      'cac:InvoiceLine': lines(note, reverseCharge),
    },
  };
}
