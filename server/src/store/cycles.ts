// Cycle closings: which accounts have a cycle due, the closing's own row, and the account's
// pointer to its next cycle end.
import type { Account } from '../domain/account/Account';
import type { Interval } from '../domain/catalog/Catalog';
import type { ClosedCycle } from '../domain/cycle/CycleClosing';
import type { Cycle } from '../domain/cycle/Cycle';
import { decimalString, sum } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

/** Accounts whose oldest open cycle ended at or before `now`, the longest overdue first. */
export async function readDueAccounts(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM accounts WHERE cycle_end <= $1 AND ended_at IS NULL ORDER BY cycle_end, id LIMIT $2', [
    now.toISOString(),
    limit,
  ]);
  return rows.map((r) => r.id);
}

/** Accounts opened before cycles were closed: their first cycle's end is computed from the anchor. */
export async function readAccountsWithoutCycleEnd(db: Queryable, limit: number): Promise<{ id: string; anchor: Date; interval: Interval; createdAt: Date }[]> {
  const rows = await db.query<{ id: string; anchor: Date; billing_interval: Interval; created_at: Date }>(
    'SELECT id, anchor, billing_interval, created_at FROM accounts WHERE cycle_end IS NULL AND ended_at IS NULL ORDER BY id LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ id: r.id, anchor: r.anchor, interval: r.billing_interval, createdAt: r.created_at }));
}

export async function setCycleEnd(db: Queryable, accountId: string, end: Date): Promise<void> {
  await db.query('UPDATE accounts SET cycle_end = $2 WHERE id = $1 AND cycle_end IS NULL', [accountId, end.toISOString()]);
}

export function addClosingWrites(writes: Writes, { closing, closedAt, invoiceId }: { closing: ClosedCycle; closedAt: Date; invoiceId: string | null }): Writes {
  const rents = sum(closing.rents.map((r) => r.amount));
  return writes.add(
    (p) => `INSERT INTO cycle_closings (account_id, cycle_start, cycle_end, closed_at, plan, credits_granted, lapsed, rents_charged, invoice_id)
     VALUES (${p(closing.accountId)}, ${p(closing.closed.start.toISOString())}::timestamptz, ${p(closing.closed.end.toISOString())}::timestamptz,
       ${p(closedAt.toISOString())}::timestamptz, ${p(closing.plan)}, ${p(decimalString(closing.creditsGranted))}::numeric,
       ${p(decimalString(closing.lapsed))}::numeric, ${p(decimalString(rents))}::numeric, ${p(invoiceId)})`,
  );
}

/**
 * Moves the account on to its next cycle: the open cycle's bounds, and the plan, interval, anchor
 * and fee billed ahead the cycle has (a scheduled change applied). A statement of its own: the
 * book's writes update the same account row, and one statement may change a row only once.
 */
export function addCycleAdvance(
  writes: Writes,
  account: Pick<Account, 'id' | 'plan' | 'interval' | 'anchor' | 'feePaidUntil' | 'catalogVersion'>,
  next: Cycle,
): Writes {
  return writes.after(
    (p) => `UPDATE accounts SET cycle_start = ${p(next.start.toISOString())}::timestamptz, cycle_end = ${p(next.end.toISOString())}::timestamptz,
      plan = ${p(account.plan)}, catalog_version = ${p(account.catalogVersion ?? 1)}::integer, billing_interval = ${p(account.interval)}, anchor = ${p(account.anchor.toISOString())}::timestamptz, plan_since = NULL,
      scheduled_change = NULL, fee_paid_until = ${p(account.feePaidUntil?.toISOString() ?? null)}::timestamptz WHERE id = ${p(account.id)}`,
  );
}

/** The last cycle of a cancelled subscription closed: it has ended, and its numbers go with it. */
export function addSubscriptionEnd(writes: Writes, { accountId, end, now }: { accountId: string; end: Date; now: Date }): Writes {
  // Closed through its end: usage dated before it that arrives now has no cycle left to be billed in.
  writes.after(
    (p) => `UPDATE accounts SET ended_at = ${p(now.toISOString())}::timestamptz, cycle_start = ${p(end.toISOString())}::timestamptz,
      scheduled_change = NULL, plan_since = NULL WHERE id = ${p(accountId)}`,
  );
  return writes.after((p) => `UPDATE phone_numbers SET released_at = ${p(end.toISOString())}::timestamptz WHERE account_id = ${p(accountId)} AND released_at IS NULL`);
}

export interface ClosingRow {
  account_id: string;
  cycle_start: Date;
  cycle_end: Date;
  closed_at: Date;
  plan: string;
  credits_granted: string;
  lapsed: string;
  rents_charged: string;
  invoice_id: string | null;
  [column: string]: unknown;
}

export async function readClosings(db: Queryable, accountId: string): Promise<ClosingRow[]> {
  return db.query<ClosingRow>('SELECT * FROM cycle_closings WHERE account_id = $1 ORDER BY cycle_start', [accountId]);
}
