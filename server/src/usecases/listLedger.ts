// Pages through an account's ledger in the order it was written, with an opaque cursor.
import { DomainFailure, notFound } from '../domain/errors';
import { nextCursor, seqOfCursor } from './seqCursor';
import { readAccount } from '../store/rows';
import type { Context } from './Context';

export const DEFAULT_PAGE_SIZE = 100;
/** Largest page: keeps one response under a few hundred kilobytes. */
export const MAX_PAGE_SIZE = 1000;

interface LedgerRow {
  seq: string;
  id: string;
  kind: string;
  amount: string;
  balance_after: string;
  grant_id: string | null;
  event_id: string | null;
  reference: string | null;
  description: string;
  occurred_at: Date;
  recorded_at: Date;
  key_id: string | null;
  [column: string]: unknown;
}

export async function listLedger(context: Context, accountId: string, cursor: string | undefined, limit: number) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const after = cursor === undefined ? '0' : seqOfCursor(cursor);
  const rows = await context.db.query<LedgerRow>(
    // seq stays a bigint (both drivers hand it over as a string): ordered as text, 10 would come before 2.
    `SELECT seq, id, kind, amount, balance_after, grant_id, event_id, reference, description, occurred_at, recorded_at, key_id
     FROM ledger_entries WHERE account_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
    [accountId, after, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      amount: r.amount,
      balanceAfter: r.balance_after,
      grantId: r.grant_id,
      eventId: r.event_id,
      reference: r.reference,
      description: r.description,
      occurredAt: r.occurred_at.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
      keyId: r.key_id,
    })),
    nextCursor: nextCursor(rows, limit),
  };
}
