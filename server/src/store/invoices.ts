// Invoices: gapless numbers per prefix (credit notes' under their own key), the invoice rows,
// payments, voids and what credit notes credited.
import { CENTS, type InvoiceTotals } from '../domain/invoice/Invoice';
import type { Held } from '../domain/invoice/heldInvoice';
import { money } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export interface Party {
  name: string;
  address: string[];
  country?: string;
  vatId?: string;
  email?: string;
}

/** The issuer as the invoice names it: a party with what business letters must also say (§35a GmbHG) and where to pay. */
export interface Seller extends Party {
  taxNumber?: string;
  register?: string;
  managingDirectors?: string[];
  phone?: string;
  website?: string;
  bank?: { accountHolder?: string; iban: string; bic?: string; bank?: string };
}

/** The buyer as the invoice names it: a party with the number the seller knows it by (its account id). */
export interface Buyer extends Party {
  customerNumber?: string;
}

export interface Payment {
  status: 'paid' | 'failed';
  reason?: string;
  reference?: string;
  at: string;
}

export interface InvoiceRecord extends InvoiceTotals {
  id: string;
  /** Null while it is a draft: a number is taken from the sequence only when it is issued. */
  number: string | null;
  accountId: string;
  kind: 'cycle' | 'proration' | 'opening' | 'topup';
  /** A draft's: when it was drafted. */
  issuedAt: Date;
  period: { start: Date; end: Date };
  currency: string;
  seller: Seller;
  buyer: Buyer;
  /** When it is due: issued plus the payment terms; null on invoices issued before terms were kept. */
  dueAt: Date | null;
  status: 'draft' | 'open' | 'paid' | 'failed' | 'void';
  /** Why a draft waits; null once it is issued. */
  held: Held | null;
  payments: Payment[];
  /** When, why and by which API key (null: the server) it was voided; null while it stands. */
  voided: Voided | null;
  /** The gross its credit notes credited, to the cent. */
  credited: string;
  /** The lines (0-based) it settled from the balance: a postpaid plan's usage and rents. */
  settledLines: number[];
  /** The language and time zone its page and PDF read in: the account's when it was issued. */
  locale: string;
  timeZone: string;
}

/** An invoice that was issued: it has its number. */
export type IssuedInvoice = InvoiceRecord & { number: string; status: Exclude<InvoiceRecord['status'], 'draft'> };

export function isIssued(invoice: InvoiceRecord): invoice is IssuedInvoice {
  return invoice.number !== null && invoice.status !== 'draft';
}

/** How sentences and ledger entries name an invoice: its number, or a draft by its id. */
export function invoiceName(invoice: Pick<InvoiceRecord, 'id' | 'number'>): string {
  return invoice.number ?? `draft ${invoice.id}`;
}

export interface Voided {
  at: Date;
  reason: string;
  keyId: string | null;
}

interface InvoiceRow {
  id: string;
  number: string | null;
  account_id: string;
  kind: InvoiceRecord['kind'];
  issued_at: Date;
  period_start: Date;
  period_end: Date;
  currency: string;
  seller: Seller;
  buyer: Buyer;
  due_at: Date | null;
  lines: InvoiceRecord['lines'];
  taxes: InvoiceRecord['taxes'];
  notes: string[];
  net: string;
  tax: string;
  gross: string;
  status: InvoiceRecord['status'];
  held: Held | null;
  payments: Payment[];
  settled_lines: number[];
  voided_at: Date | null;
  void_reason: string | null;
  voided_by: string | null;
  credited: string;
  locale: string;
  time_zone: string;
  [column: string]: unknown;
}

const WRITTEN = 'id, number, account_id, kind, issued_at, period_start, period_end, currency, seller, buyer, due_at, lines, taxes, notes, net, tax, gross, status, payments, settled_lines, held, locale, time_zone';
const COLUMNS = `${WRITTEN}, voided_at, void_reason, voided_by, credited::text AS credited`;

function toInvoice(row: InvoiceRow): InvoiceRecord {
  return {
    id: row.id,
    number: row.number,
    accountId: row.account_id,
    kind: row.kind,
    issuedAt: row.issued_at,
    period: { start: row.period_start, end: row.period_end },
    currency: row.currency,
    seller: row.seller,
    buyer: row.buyer,
    dueAt: row.due_at,
    lines: row.lines,
    taxes: row.taxes,
    notes: row.notes,
    net: row.net,
    tax: row.tax,
    gross: row.gross,
    status: row.status,
    held: row.held ?? null,
    payments: row.payments,
    voided: row.voided_at ? { at: row.voided_at, reason: row.void_reason ?? '', keyId: row.voided_by } : null,
    credited: money(row.credited).toFixed(CENTS),
    settledLines: row.settled_lines,
    locale: row.locale,
    timeZone: row.time_zone,
  };
}

/** The key of the credit notes' sequence of a prefix; `:` is never in a prefix, so no invoice sequence has it. */
export const creditNoteSequence = (prefix: string) => `${prefix}:credit-notes`;

/** The next number of the sequence (a prefix, or creditNoteSequence's key); the row lock keeps numbers gapless across processes. */
export async function nextSequence(tx: Queryable, prefix: string): Promise<number> {
  const [row] = await tx.query<{ last: string }>(
    `INSERT INTO invoice_sequences (prefix, last) VALUES ($1, 1) ON CONFLICT (prefix) DO UPDATE SET last = invoice_sequences.last + 1 RETURNING last::text`,
    [prefix],
  );
  return Number(row!.last);
}

/** Adds the invoice's row to the transaction's writes (sent with them, after its number is taken). */
export function addInvoiceWrites(writes: Writes, invoice: InvoiceRecord): void {
  writes.add(
    (p) => `INSERT INTO invoices (${WRITTEN}) VALUES (${[
      p(invoice.id),
      p(invoice.number),
      p(invoice.accountId),
      p(invoice.kind),
      `${p(invoice.issuedAt.toISOString())}::timestamptz`,
      `${p(invoice.period.start.toISOString())}::timestamptz`,
      `${p(invoice.period.end.toISOString())}::timestamptz`,
      p(invoice.currency),
      `${p(JSON.stringify(invoice.seller))}::jsonb`,
      `${p(JSON.stringify(invoice.buyer))}::jsonb`,
      `${p(invoice.dueAt?.toISOString() ?? null)}::timestamptz`,
      `${p(JSON.stringify(invoice.lines))}::jsonb`,
      `${p(JSON.stringify(invoice.taxes))}::jsonb`,
      `${p(JSON.stringify(invoice.notes))}::jsonb`,
      `${p(invoice.net)}::numeric`,
      `${p(invoice.tax)}::numeric`,
      `${p(invoice.gross)}::numeric`,
      p(invoice.status),
      `${p(JSON.stringify(invoice.payments))}::jsonb`,
      `${p(JSON.stringify(invoice.settledLines))}::jsonb`,
      `${p(invoice.held && JSON.stringify(invoice.held))}::jsonb`,
      p(invoice.locale),
      p(invoice.timeZone),
    ].join(', ')})`,
  );
}

/** Issues a draft: its number, when it was issued and is due, the buyer and the totals as they are now. */
export function addDraftIssueWrites(writes: Writes, invoice: IssuedInvoice): void {
  writes.add(
    (p) =>
      `UPDATE invoices SET number = ${p(invoice.number)}, status = ${p(invoice.status)}, held = NULL, issued_at = ${p(invoice.issuedAt.toISOString())}::timestamptz, ` +
      `due_at = ${p(invoice.dueAt?.toISOString() ?? null)}::timestamptz, buyer = ${p(JSON.stringify(invoice.buyer))}::jsonb, taxes = ${p(JSON.stringify(invoice.taxes))}::jsonb, ` +
      `lines = ${p(JSON.stringify(invoice.lines))}::jsonb, notes = ${p(JSON.stringify(invoice.notes))}::jsonb, net = ${p(invoice.net)}::numeric, tax = ${p(invoice.tax)}::numeric, ` +
      `gross = ${p(invoice.gross)}::numeric WHERE id = ${p(invoice.id)} AND status = 'draft'`,
  );
}

/** The account's drafts, oldest period first, locked for their issue. */
export async function lockDraftInvoices(tx: Queryable, accountId: string): Promise<InvoiceRecord[]> {
  const rows = await tx.query<InvoiceRow>(`SELECT ${COLUMNS} FROM invoices WHERE account_id = $1 AND status = 'draft' ORDER BY period_start, id FOR UPDATE`, [accountId]);
  return rows.map(toInvoice);
}

export async function readInvoice(db: Queryable, id: string): Promise<InvoiceRecord | undefined> {
  const [row] = await db.query<InvoiceRow>(`SELECT ${COLUMNS} FROM invoices WHERE id = $1`, [id]);
  return row ? toInvoice(row) : undefined;
}

export async function readInvoices(db: Queryable, accountId: string): Promise<InvoiceRecord[]> {
  const rows = await db.query<InvoiceRow>(`SELECT ${COLUMNS} FROM invoices WHERE account_id = $1 ORDER BY issued_at DESC, number DESC NULLS FIRST`, [accountId]);
  return rows.map(toInvoice);
}

/** Locks the invoice for a payment's record, a void or a credit note. */
export async function lockInvoice(tx: Queryable, id: string): Promise<InvoiceRecord | undefined> {
  const [row] = await tx.query<InvoiceRow>(`SELECT ${COLUMNS} FROM invoices WHERE id = $1 FOR UPDATE`, [id]);
  return row ? toInvoice(row) : undefined;
}

export async function saveInvoicePayment(tx: Queryable, { id, status, payments }: { id: string; status: InvoiceRecord['status']; payments: Payment[] }): Promise<void> {
  await tx.query('UPDATE invoices SET status = $2, payments = $3::jsonb WHERE id = $1', [id, status, JSON.stringify(payments)]);
}

/** Voids the invoice: its figures stay, its status says void, with when, why and by which key. */
export function addInvoiceVoidWrites(writes: Writes, { id, voided }: { id: string; voided: Voided }): void {
  writes.add(
    (p) =>
      `UPDATE invoices SET status = 'void', voided_at = ${p(voided.at.toISOString())}::timestamptz, void_reason = ${p(voided.reason)}, voided_by = ${p(voided.keyId)} WHERE id = ${p(id)}`,
  );
}

/** Adds a credit note's gross to what the invoice's notes credited. */
export function addInvoiceCreditedWrites(writes: Writes, { id, gross }: { id: string; gross: string }): void {
  writes.add((p) => `UPDATE invoices SET credited = credited + ${p(gross)}::numeric WHERE id = ${p(id)}`);
}

export async function savePaymentIssue(tx: Queryable, accountId: string, issue: object | null): Promise<void> {
  await tx.query('UPDATE accounts SET payment_issue = $2::jsonb WHERE id = $1', [accountId, issue === null ? null : JSON.stringify(issue)]);
}
