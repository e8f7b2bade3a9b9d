// The topups table: each top-up by the caller's reference, with the grant it added.
import type { Money } from '../domain/money';
import { decimalString } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export interface StoredTopUp {
  id: string;
  amount: string;
  grantId: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export async function readTopUpByReference(tx: Queryable, accountId: string, reference: string): Promise<StoredTopUp | undefined> {
  const [row] = await tx.query<{ id: string; amount: string; grant_id: string; created_at: Date; expires_at: Date | null }>(
    `SELECT t.id, t.amount, t.grant_id, t.created_at, g.expires_at FROM topups t JOIN grants g ON g.id = t.grant_id
     WHERE t.account_id = $1 AND t.reference = $2`,
    [accountId, reference],
  );
  return row && { id: row.id, amount: row.amount, grantId: row.grant_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function addTopUpWrite(writes: Writes, topUp: { id: string; accountId: string; reference: string; grantId: string; amount: Money; createdAt: Date }): Writes {
  return writes.add(
    (p) => `INSERT INTO topups (account_id, reference, id, grant_id, amount, created_at)
     VALUES (${p(topUp.accountId)}, ${p(topUp.reference)}, ${p(topUp.id)}, ${p(topUp.grantId)}, ${p(decimalString(topUp.amount))}, ${p(topUp.createdAt.toISOString())})`,
  );
}
