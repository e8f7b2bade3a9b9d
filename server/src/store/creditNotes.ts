// Credit notes: each a document of its own, written once and never changed.
import type { CreditNoteTotals } from '../domain/invoice/CreditNote';
import type { Queryable } from './Database';
import type { Buyer, Seller } from './invoices';
import type { Writes } from './Writes';

/** Where the money goes: the account's balance, or back outside creditmeter (or off what an unpaid invoice asks). */
export type Refund = 'balance' | 'external';

/** The credited invoice as the note names it. */
export interface CreditedInvoiceRef {
  id: string;
  number: string;
  issuedAt: string;
  period: { start: string; end: string };
}

export interface CreditNoteRecord extends CreditNoteTotals {
  id: string;
  number: string;
  accountId: string;
  invoice: CreditedInvoiceRef;
  issuedAt: Date;
  currency: string;
  seller: Seller;
  buyer: Buyer;
  reason: string;
  refund: Refund;
  /** What went to the balance, in its unit, and as which grant; null for an external refund. */
  refunded: { amount: string; unit: string; grantId: string } | null;
  /** What of the invoice's settlement the note took back. */
  unsettled: string;
  /** The API key whose request issued it; null for the server's own work. */
  keyId: string | null;
  /** The caller's idempotency key, and what it asked, to compare a resend with; null where none was given. */
  reference: string | null;
  asked: unknown;
  /** The language and time zone its page and PDF read in: its invoice's. */
  locale: string;
  timeZone: string;
}

interface CreditNoteRow {
  id: string;
  number: string;
  invoice_id: string;
  account_id: string;
  issued_at: Date;
  currency: string;
  invoice: CreditedInvoiceRef;
  seller: Seller;
  buyer: Buyer;
  lines: CreditNoteRecord['lines'];
  taxes: CreditNoteRecord['taxes'];
  notes: string[];
  net: string;
  tax: string;
  gross: string;
  reason: string;
  refund: Refund;
  refunded: string | null;
  refunded_unit: string | null;
  grant_id: string | null;
  unsettled: string;
  key_id: string | null;
  reference: string | null;
  asked: unknown;
  locale: string;
  time_zone: string;
  [column: string]: unknown;
}

const COLUMNS =
  'id, number, invoice_id, account_id, issued_at, currency, invoice, seller, buyer, lines, taxes, notes, net, tax, gross, reason, refund, refunded, refunded_unit, grant_id, unsettled, key_id, reference, asked, locale, time_zone';

function toCreditNote(row: CreditNoteRow): CreditNoteRecord {
  return {
    id: row.id,
    number: row.number,
    accountId: row.account_id,
    invoice: row.invoice,
    issuedAt: row.issued_at,
    currency: row.currency,
    seller: row.seller,
    buyer: row.buyer,
    lines: row.lines,
    taxes: row.taxes,
    notes: row.notes,
    net: row.net,
    tax: row.tax,
    gross: row.gross,
    reason: row.reason,
    refund: row.refund,
    refunded:
      row.refunded !== null && row.refunded_unit !== null && row.grant_id !== null
        ? { amount: row.refunded, unit: row.refunded_unit, grantId: row.grant_id }
        : null,
    unsettled: row.unsettled,
    keyId: row.key_id,
    reference: row.reference,
    asked: row.asked,
    locale: row.locale,
    timeZone: row.time_zone,
  };
}

export function addCreditNoteWrites(writes: Writes, note: CreditNoteRecord): void {
  writes.add(
    (p) =>
      `INSERT INTO credit_notes (${COLUMNS}) VALUES (${[
        p(note.id),
        p(note.number),
        p(note.invoice.id),
        p(note.accountId),
        `${p(note.issuedAt.toISOString())}::timestamptz`,
        p(note.currency),
        `${p(JSON.stringify(note.invoice))}::jsonb`,
        `${p(JSON.stringify(note.seller))}::jsonb`,
        `${p(JSON.stringify(note.buyer))}::jsonb`,
        `${p(JSON.stringify(note.lines))}::jsonb`,
        `${p(JSON.stringify(note.taxes))}::jsonb`,
        `${p(JSON.stringify(note.notes))}::jsonb`,
        `${p(note.net)}::numeric`,
        `${p(note.tax)}::numeric`,
        `${p(note.gross)}::numeric`,
        p(note.reason),
        p(note.refund),
        `${p(note.refunded?.amount ?? null)}::numeric`,
        p(note.refunded?.unit ?? null),
        p(note.refunded?.grantId ?? null),
        `${p(note.unsettled)}::numeric`,
        p(note.keyId),
        p(note.reference),
        `${p(note.asked === null ? null : JSON.stringify(note.asked))}::jsonb`,
        p(note.locale),
        p(note.timeZone),
      ].join(', ')})`,
  );
}

export async function readCreditNote(db: Queryable, id: string): Promise<CreditNoteRecord | undefined> {
  const [row] = await db.query<CreditNoteRow>(`SELECT ${COLUMNS} FROM credit_notes WHERE id = $1`, [id]);
  return row ? toCreditNote(row) : undefined;
}

/** The invoice's credit note issued under the caller's idempotency key, if any. */
export async function readCreditNoteByReference(db: Queryable, invoiceId: string, reference: string): Promise<CreditNoteRecord | undefined> {
  const [row] = await db.query<CreditNoteRow>(`SELECT ${COLUMNS} FROM credit_notes WHERE invoice_id = $1 AND reference = $2`, [invoiceId, reference]);
  return row ? toCreditNote(row) : undefined;
}

/** An invoice's credit notes, oldest first (the order they were numbered in). */
export async function readCreditNotesOfInvoice(db: Queryable, invoiceId: string): Promise<CreditNoteRecord[]> {
  const rows = await db.query<CreditNoteRow>(`SELECT ${COLUMNS} FROM credit_notes WHERE invoice_id = $1 ORDER BY issued_at, number`, [invoiceId]);
  return rows.map(toCreditNote);
}

/** An account's credit notes, newest first, as its invoices are listed. */
export async function readCreditNotesOfAccount(db: Queryable, accountId: string): Promise<CreditNoteRecord[]> {
  const rows = await db.query<CreditNoteRow>(`SELECT ${COLUMNS} FROM credit_notes WHERE account_id = $1 ORDER BY issued_at DESC, number DESC`, [accountId]);
  return rows.map(toCreditNote);
}
