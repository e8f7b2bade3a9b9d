// The topups table: each top-up by the caller's reference, with the grant it added and the invoice
// it issued, if any.
import type { Money } from '../domain/money';
import { decimalString } from '../domain/money';
import type { Queryable } from './Database';
import { GRANT_COLUMNS, type GrantRow, toGrant } from './rows';
import type { Grant } from '../domain/ledger/drawGrants';
import type { Writes } from './Writes';

/** The invoice a top-up issued, as its answer names it. */
export interface TopUpInvoice {
  id: string;
  number: string;
  currency: string;
  net: string;
  tax: string;
  gross: string;
}

export interface StoredTopUp {
  id: string;
  amount: string;
  grantId: string;
  createdAt: Date;
  expiresAt: Date | null;
  invoice: TopUpInvoice | null;
}

type TopUpRow = {
  id: string;
  amount: string;
  grant_id: string;
  created_at: Date;
  expires_at: Date | null;
  invoice_id: string | null;
  number: string | null;
  currency: string | null;
  net: string | null;
  tax: string | null;
  gross: string | null;
};

export async function readTopUpByReference(tx: Queryable, accountId: string, reference: string): Promise<StoredTopUp | undefined> {
  const [row] = await tx.query<TopUpRow>(
    `SELECT t.id, t.amount, t.grant_id, t.created_at, g.expires_at, t.invoice_id, i.number, i.currency, i.net::text AS net, i.tax::text AS tax, i.gross::text AS gross
     FROM topups t JOIN grants g ON g.id = t.grant_id LEFT JOIN invoices i ON i.id = t.invoice_id
     WHERE t.account_id = $1 AND t.reference = $2`,
    [accountId, reference],
  );
  if (!row) return undefined;
  const invoice = row.invoice_id ? { id: row.invoice_id, number: row.number!, currency: row.currency!, net: row.net!, tax: row.tax!, gross: row.gross! } : null;
  return { id: row.id, amount: row.amount, grantId: row.grant_id, createdAt: row.created_at, expiresAt: row.expires_at, invoice };
}

export function addTopUpWrite(
  writes: Writes,
  topUp: { id: string; accountId: string; reference: string; grantId: string; amount: Money; createdAt: Date; invoiceId: string | null },
): Writes {
  return writes.add(
    (p) => `INSERT INTO topups (account_id, reference, id, grant_id, amount, created_at, invoice_id)
     VALUES (${p(topUp.accountId)}, ${p(topUp.reference)}, ${p(topUp.id)}, ${p(topUp.grantId)}, ${p(decimalString(topUp.amount))}, ${p(topUp.createdAt.toISOString())}, ${p(topUp.invoiceId)})`,
  );
}

/** The top-up an invoice billed, with the grant it added: a correction of the invoice takes its credits back. */
export async function readTopUpOfInvoice(tx: Queryable, invoiceId: string): Promise<{ grant: Grant; amount: string } | undefined> {
  const [row] = await tx.query<GrantRow & { topup_amount: string }>(
    `SELECT ${GRANT_COLUMNS.split(', ').map((c) => `g.${c}`).join(', ')}, t.amount AS topup_amount
     FROM topups t JOIN grants g ON g.id = t.grant_id WHERE t.invoice_id = $1`,
    [invoiceId],
  );
  return row ? { grant: toGrant(row), amount: row.topup_amount } : undefined;
}
