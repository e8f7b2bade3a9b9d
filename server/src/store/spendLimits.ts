// Accounts' spend limits and the cycles whose spend_limit.reached webhook was sent: rows and writes.
import { decimalString, type Money } from '../domain/money';
import type { Queryable } from './Database';
import type { ReadPart } from './Reads';
import type { Writes } from './Writes';

export interface SpendLimitNotice {
  accountId: string;
  /** The cycle's key. */
  period: string;
  spent: Money;
}

/** Which of these accounts' current cycles had their notice sent, as `${account}|${period}`. */
export function spendLimitNoticesRead(periods: readonly { accountId: string; cyclePeriod: string }[]): ReadPart<Set<string>> {
  return {
    sql: (p) =>
      `SELECT n.account_id, n.period FROM spend_limit_notices n
       JOIN unnest(${p(periods.map((x) => x.accountId))}::text[], ${p(periods.map((x) => x.cyclePeriod))}::text[]) AS k(a, p) ON n.account_id = k.a AND n.period = k.p`,
    map: (rows) => new Set(rows.map((row) => `${row['account_id'] as string}|${row['period'] as string}`)),
  };
}

export function addSpendLimitNoticeWrites(writes: Writes, notices: readonly SpendLimitNotice[], now: Date): Writes {
  if (notices.length === 0) return writes;
  return writes.add(
    (p) => `INSERT INTO spend_limit_notices (account_id, period, spent, sent_at)
     SELECT a, per, s, ${p(now.toISOString())}::timestamptz
     FROM unnest(${p(notices.map((n) => n.accountId))}::text[], ${p(notices.map((n) => n.period))}::text[], ${p(notices.map((n) => decimalString(n.spent)))}::numeric[]) AS u(a, per, s)
     ON CONFLICT (account_id, period) DO NOTHING`,
  );
}

/**
 * Sets (or, with null, removes) the account's spend limit. A new limit forgets the notices sent,
 * so that reaching it is reported again.
 */
export async function saveSpendLimit(tx: Queryable, accountId: string, limit: Money | null): Promise<void> {
  // Other processes answer authorize from remembered accounts: the accounts table's trigger tells
  // them to forget this one at commit (migration 026).
  await tx.query('UPDATE accounts SET spend_limit = $2 WHERE id = $1', [accountId, limit === null ? null : decimalString(limit)]);
  await tx.query('DELETE FROM spend_limit_notices WHERE account_id = $1', [accountId]);
}
