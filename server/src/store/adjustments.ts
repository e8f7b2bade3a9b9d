// The adjustments table: each balance adjustment by the caller's reference, with the grant it added
// and the ledger entries it wrote.
import type { Money } from '../domain/money';
import { decimalString } from '../domain/money';
import { type LedgerRow } from './books';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export interface StoredAdjustment {
  id: string;
  accountId: string;
  reference: string;
  amount: string;
  reason: string;
  grantId: string | null;
  expiresAt: Date | null;
  keyId: string;
  createdAt: Date;
  /** Its ledger entries, in the order written. */
  entries: LedgerRow[];
}

export async function readAdjustmentByReference(tx: Queryable, accountId: string, reference: string): Promise<StoredAdjustment | undefined> {
  const [row] = await tx.query<{
    id: string;
    amount: string;
    reason: string;
    grant_id: string | null;
    expires_at: Date | null;
    entry_ids: string[];
    key_id: string;
    created_at: Date;
  }>(`SELECT id, amount, reason, grant_id, expires_at, entry_ids, key_id, created_at FROM adjustments WHERE account_id = $1 AND reference = $2`, [
    accountId,
    reference,
  ]);
  if (!row) return undefined;
  const entries = await tx.query<LedgerRow>(
    `SELECT seq, id, kind, amount, balance_after, grant_id, event_id, reference, description, reason, occurred_at, recorded_at, key_id
     FROM ledger_entries WHERE id = ANY($1::text[]) ORDER BY seq`,
    [row.entry_ids],
  );
  return {
    id: row.id,
    accountId,
    reference,
    amount: row.amount,
    reason: row.reason,
    grantId: row.grant_id,
    expiresAt: row.expires_at,
    keyId: row.key_id,
    createdAt: row.created_at,
    entries,
  };
}

export function addAdjustmentWrite(
  writes: Writes,
  adjustment: {
    id: string;
    accountId: string;
    reference: string;
    amount: Money;
    reason: string;
    grantId: string | null;
    expiresAt: Date | null;
    entryIds: readonly string[];
    keyId: string;
    createdAt: Date;
  },
): Writes {
  const a = adjustment;
  return writes.add(
    (p) => `INSERT INTO adjustments (account_id, reference, id, amount, reason, grant_id, expires_at, entry_ids, key_id, created_at)
     VALUES (${p(a.accountId)}, ${p(a.reference)}, ${p(a.id)}, ${p(decimalString(a.amount))}::numeric, ${p(a.reason)}, ${p(a.grantId)},
       ${p(a.expiresAt?.toISOString() ?? null)}::timestamptz, ${p(a.entryIds)}::text[], ${p(a.keyId)}, ${p(a.createdAt.toISOString())}::timestamptz)`,
  );
}
