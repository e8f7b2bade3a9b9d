// Auto-recharge settings and requests: rows, the state a write needs, and settling by reference.
import { type AutoRecharge, MAX_FAILURES } from '../domain/recharge/AutoRecharge';
import { decimalString, money, type Money, ZERO } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';
import { jsonDate, type ReadPart } from './Reads';

interface SettingsRow {
  account_id: string;
  enabled: boolean;
  threshold: string;
  amount: string | null;
  target_balance: string | null;
  monthly_limit: string;
  timeout_seconds: number;
  failures: number;
  disabled_reason: string | null;
  updated_at: Date;
  [column: string]: unknown;
}

export interface StoredAutoRecharge extends AutoRecharge {
  accountId: string;
  disabledReason: string | null;
  updatedAt: Date;
}

const SETTINGS_COLUMNS = 'account_id, enabled, threshold, amount, target_balance, monthly_limit, timeout_seconds, failures, disabled_reason, updated_at';

const toSettings = (row: SettingsRow): StoredAutoRecharge => ({
  accountId: row.account_id,
  enabled: row.enabled,
  threshold: money(row.threshold),
  amount: row.amount === null ? null : money(row.amount),
  targetBalance: row.target_balance === null ? null : money(row.target_balance),
  monthlyLimit: money(row.monthly_limit),
  timeoutSeconds: row.timeout_seconds,
  failures: row.failures,
  disabledReason: row.disabled_reason,
  updatedAt: row.updated_at,
});

export async function readAutoRecharge(db: Queryable, accountId: string): Promise<StoredAutoRecharge | undefined> {
  const [row] = await db.query<SettingsRow>(`SELECT ${SETTINGS_COLUMNS} FROM auto_recharge WHERE account_id = $1`, [accountId]);
  return row ? toSettings(row) : undefined;
}

export async function saveAutoRecharge(db: Queryable, settings: StoredAutoRecharge): Promise<void> {
  await db.query(
    `INSERT INTO auto_recharge (${SETTINGS_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, NULL, $8)
     ON CONFLICT (account_id) DO UPDATE SET enabled = EXCLUDED.enabled, threshold = EXCLUDED.threshold, amount = EXCLUDED.amount,
       target_balance = EXCLUDED.target_balance, monthly_limit = EXCLUDED.monthly_limit, timeout_seconds = EXCLUDED.timeout_seconds,
       failures = 0, disabled_reason = NULL, updated_at = EXCLUDED.updated_at`,
    [
      settings.accountId,
      settings.enabled,
      decimalString(settings.threshold),
      settings.amount && decimalString(settings.amount),
      settings.targetBalance && decimalString(settings.targetBalance),
      decimalString(settings.monthlyLimit),
      settings.timeoutSeconds,
      settings.updatedAt.toISOString(),
    ],
  );
}

export interface RechargeState {
  settings: StoredAutoRecharge;
  openRequest: boolean;
  requestedThisMonth: Money;
}

/** Settings, open request and this month's requested total of these (locked) accounts, as a part of one read. */
export function rechargeStateRead(accountIds: readonly string[], monthStart: Date): ReadPart<Map<string, RechargeState>> {
  return {
    sql: (p) => `SELECT s.account_id, s.enabled, s.threshold::text AS threshold, s.amount::text AS amount, s.target_balance::text AS target_balance,
       s.monthly_limit::text AS monthly_limit, s.timeout_seconds, s.failures, s.disabled_reason, s.updated_at,
       EXISTS (SELECT 1 FROM recharge_requests r WHERE r.account_id = s.account_id AND r.status = 'requested') AS open,
       (SELECT sum(r.amount)::text FROM recharge_requests r WHERE r.account_id = s.account_id AND r.status <> 'failed' AND r.requested_at >= ${p(monthStart.toISOString())}::timestamptz) AS requested
     FROM auto_recharge s WHERE s.account_id = ANY(${p(accountIds)}::text[]) AND s.enabled`,
    map: (rows) =>
      new Map(
        rows.map((json) => {
          const row = { ...json, updated_at: jsonDate(json['updated_at']) } as SettingsRow & { open: boolean; requested: string | null };
          return [row.account_id, { settings: toSettings(row), openRequest: row.open, requestedThisMonth: row.requested ? money(row.requested) : ZERO }];
        }),
      ),
  };
}

export interface RechargeRequest {
  id: string;
  accountId: string;
  reference: string;
  amount: Money;
  requestedAt: Date;
  dueAt: Date;
}

export function addRechargeRequestWrites(writes: Writes, requests: readonly RechargeRequest[]): Writes {
  if (requests.length === 0) return writes;
  const r = requests;
  return writes.add(
    (p) => `INSERT INTO recharge_requests (id, account_id, reference, amount, status, requested_at, due_at)
     SELECT i, a, ref, am, 'requested', rq, du FROM unnest(${p(r.map((x) => x.id))}::text[], ${p(r.map((x) => x.accountId))}::text[],
       ${p(r.map((x) => x.reference))}::text[], ${p(r.map((x) => decimalString(x.amount)))}::numeric[],
       ${p(r.map((x) => x.requestedAt.toISOString()))}::timestamptz[], ${p(r.map((x) => x.dueAt.toISOString()))}::timestamptz[]) AS u(i, a, ref, am, rq, du)`,
  );
}

/** A top-up carrying an open request's reference settles it and clears the failure count. */
export async function settleRecharge(tx: Queryable, { accountId, reference, now }: { accountId: string; reference: string; now: Date }): Promise<boolean> {
  const rows = await tx.query(
    `WITH r AS (UPDATE recharge_requests SET status = 'succeeded', settled_at = $3 WHERE account_id = $1 AND reference = $2 AND status = 'requested' RETURNING account_id)
     UPDATE auto_recharge SET failures = 0 WHERE account_id IN (SELECT account_id FROM r) RETURNING account_id`,
    [accountId, reference, now.toISOString()],
  );
  return rows.length > 0;
}

/** Whether `reference` is one of the account's auto-recharge requests (open, answered or failed). */
export async function isRechargeReference(tx: Queryable, { accountId, reference }: { accountId: string; reference: string }): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM recharge_requests WHERE account_id = $1 AND reference = $2', [accountId, reference]);
  return rows.length > 0;
}

/** Requests whose time ran out without a top-up, marked failed; each counts as a failure. */
export async function failOverdueRequests(tx: Queryable, now: Date, limit: number) {
  return tx.query<{ id: string; account_id: string; reference: string; amount: string; failures: number; enabled: boolean }>(
    `WITH due AS (SELECT id FROM recharge_requests WHERE status = 'requested' AND due_at <= $1::timestamptz ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     failed AS (UPDATE recharge_requests r SET status = 'failed', settled_at = $1::timestamptz FROM due WHERE r.id = due.id
                RETURNING r.id, r.account_id, r.reference, r.amount::text AS amount),
     counted AS (UPDATE auto_recharge s SET failures = s.failures + 1,
                   enabled = s.enabled AND s.failures + 1 < $3,
                   disabled_reason = CASE WHEN s.failures + 1 >= $3 THEN $3 || ' requests in a row got no top-up' ELSE s.disabled_reason END
                 FROM failed WHERE s.account_id = failed.account_id RETURNING s.account_id, s.failures, s.enabled)
     SELECT f.id, f.account_id, f.reference, f.amount, c.failures, c.enabled FROM failed f JOIN counted c USING (account_id)`,
    [now.toISOString(), limit, MAX_FAILURES],
  );
}

/** The account's request still waiting for its top-up, as the API shows it. */
export async function readOpenRechargeRequest(db: Queryable, accountId: string) {
  const [open] = await db.query<{ id: string; reference: string; amount: string; requested_at: Date; due_at: Date }>(
    `SELECT id, reference, amount::text AS amount, requested_at, due_at FROM recharge_requests WHERE account_id = $1 AND status = 'requested'`,
    [accountId],
  );
  return open;
}
