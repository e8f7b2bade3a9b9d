// The accounts table: locking and reading accounts, opening them, and the changes use cases make to
// an account's own columns (its books' balance and status change with the ledger, in store/books).
import type { Account, AccountBilling } from '../domain/account/Account';
import type { Queryable } from './Database';
import { jsonDate, jsonDateOrNull, type JsonRow } from './Reads';
import { ACCOUNT_COLUMNS, type AccountRow, toAccount } from './rows';
import type { Writes } from './Writes';

/**
 * Locks the accounts (in id order, so that concurrent writers never deadlock) and reads them. The
 * rows come back as one JSON array: an embedded store parses a JSON text far faster than a thousand
 * rows of nineteen typed columns, and a batch locks up to a thousand accounts.
 */
export async function lockAccounts(tx: Queryable, ids: readonly string[]): Promise<Map<string, Account>> {
  const [row] = await tx.query<{ accounts: JsonRow[] }>(
    `SELECT coalesce(json_agg(a), '[]'::json) AS accounts FROM (
       SELECT ${ACCOUNT_COLUMNS.replace('balance, debt', 'balance::text AS balance, debt::text AS debt').replace('spend_limit', 'spend_limit::text AS spend_limit')}
       FROM accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE) AS a`,
    [ids],
  );
  return new Map(row!.accounts.map((json) => [json['id'] as string, toAccount(accountRowFromJson(json))]));
}

function accountRowFromJson(json: JsonRow): AccountRow {
  return {
    ...(json as AccountRow),
    anchor: jsonDate(json['anchor']),
    created_at: jsonDate(json['created_at']),
    plan_since: jsonDateOrNull(json['plan_since']),
    ends_at: jsonDateOrNull(json['ends_at']),
    ended_at: jsonDateOrNull(json['ended_at']),
    cycle_start: jsonDateOrNull(json['cycle_start']),
    cycle_end: jsonDateOrNull(json['cycle_end']),
    fee_paid_until: jsonDateOrNull(json['fee_paid_until']),
  };
}

export async function readAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const [row] = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
  return row ? toAccount(row) : undefined;
}

/** A page of accounts in id order after `after`, within `only` when given, matching `search` in id or name. */
export async function readAccountPage(
  db: Queryable,
  query: { after: string; limit: number; only: readonly string[] | null; search: string | undefined },
): Promise<Account[]> {
  const rows = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts
      WHERE id > $1 AND ($3::text[] IS NULL OR id = ANY($3::text[]))
        AND ($4::text IS NULL OR id ILIKE $4 ESCAPE '\\' OR name ILIKE $4 ESCAPE '\\')
      ORDER BY id LIMIT $2`,
    [query.after, query.limit, query.only, query.search ? `%${likeLiteral(query.search)}%` : null],
  );
  return rows.map(toAccount);
}

/** `text` matched literally by LIKE: its wildcards and the escape character escaped. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Inserts a new account with a zero balance; false when its id is taken. */
export async function insertAccount(tx: Queryable, account: Account, cycleEnd: Date): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO accounts (id, name, email, metadata, plan, billing_interval, anchor, status, balance, debt, created_at, cycle_end, billing, plan_since, fee_paid_until, locale, time_zone, catalog_version)
     VALUES ($1, $2, $8, $9::jsonb, $3, $4, $5, $6, 0, 0, $7, $10, $11::jsonb, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      account.id,
      account.name,
      account.plan,
      account.interval,
      account.anchor.toISOString(),
      account.status,
      account.createdAt.toISOString(),
      account.email,
      JSON.stringify(account.metadata),
      cycleEnd.toISOString(),
      JSON.stringify(account.billing),
      account.planSince?.toISOString() ?? null,
      account.feePaidUntil?.toISOString() ?? null,
      account.locale,
      account.timeZone,
      account.catalogVersion ?? 1,
    ],
  );
  return inserted.length > 0;
}

export interface AccountDetails {
  name?: string;
  email?: string | null;
  /** Given keys set; null removes one. */
  metadata?: Record<string, string | null>;
  /** Replaced whole. */
  billing?: AccountBilling;
  locale?: string;
  timeZone?: string;
}

/** Changes the account's details; undefined when there is no such account. */
export async function saveAccountDetails(tx: Queryable, accountId: string, change: AccountDetails): Promise<Account | undefined> {
  const [row] = await tx.query<AccountRow>(
    `UPDATE accounts SET name = COALESCE($2, name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
       metadata = jsonb_strip_nulls(metadata || $5::jsonb), billing = COALESCE($6::jsonb, billing),
       locale = COALESCE($7, locale), time_zone = COALESCE($8, time_zone)
     WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
    [
      accountId,
      change.name ?? null,
      change.email !== undefined,
      change.email ?? null,
      JSON.stringify(change.metadata ?? {}),
      change.billing ? JSON.stringify(change.billing) : null,
      change.locale ?? null,
      change.timeZone ?? null,
    ],
  );
  return row ? toAccount(row) : undefined;
}

export async function saveResources(tx: Queryable, accountId: string, resources: Account['resources']): Promise<Account> {
  const [row] = await tx.query<AccountRow>(`UPDATE accounts SET resources = $2::jsonb WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`, [
    accountId,
    JSON.stringify(resources),
  ]);
  return toAccount(row!);
}

// The changes below follow the write's combined statement, which may update the same account's
// balance (one statement cannot change a row twice).

export function addAllowanceExtrasWrite(writes: Writes, accountId: string, extras: Account['allowanceExtras']): Writes {
  return writes.after((p) => `UPDATE accounts SET allowance_extras = ${p(JSON.stringify(extras))}::jsonb WHERE id = ${p(accountId)}`);
}

/** The subscription ends at `endsAt` (null: it renews again). */
export function addEndsAtWrite(writes: Writes, accountId: string, endsAt: Date | null): Writes {
  return writes.after((p) => `UPDATE accounts SET ends_at = ${p(endsAt?.toISOString() ?? null)}::timestamptz WHERE id = ${p(accountId)}`);
}

/** Schedules a plan change; `cycleEnd`, when given, cuts the current cycle short to end at it. */
export function addScheduledChangeWrite(
  writes: Writes,
  { accountId, scheduled, cycleEnd }: { accountId: string; scheduled: NonNullable<Account['scheduledChange']>; cycleEnd: Date | null },
): Writes {
  return writes.after(
    (
      p,
    ) => `UPDATE accounts SET scheduled_change = ${p(JSON.stringify(scheduled))}::jsonb, cycle_end = COALESCE(${p(cycleEnd?.toISOString() ?? null)}::timestamptz, cycle_end)
      WHERE id = ${p(accountId)}`,
  );
}

/** Forgets a scheduled change; `cycleEnd`, when given, is the current cycle's full end again. */
export function addScheduledChangeDrop(writes: Writes, accountId: string, cycleEnd: Date | null): Writes {
  return writes.after(
    (p) =>
      `UPDATE accounts SET scheduled_change = NULL, cycle_end = COALESCE(${p(cycleEnd?.toISOString() ?? null)}::timestamptz, cycle_end) WHERE id = ${p(accountId)}`,
  );
}

/** The account moves to `plan` on catalog version `catalogVersion` now (an upgrade); a scheduled change is void. */
export function addPlanWrite(
  writes: Writes,
  accountId: string,
  change: { plan: string; since: Date; feePaidUntil: Date | null; catalogVersion: number },
): Writes {
  return writes.after(
    (p) => `UPDATE accounts SET plan = ${p(change.plan)}, plan_since = ${p(change.since.toISOString())}::timestamptz, scheduled_change = NULL,
      fee_paid_until = ${p(change.feePaidUntil?.toISOString() ?? null)}::timestamptz, catalog_version = ${p(change.catalogVersion)}::integer WHERE id = ${p(accountId)}`,
  );
}

/** Clears the account's payment issue where it is this invoice's. */
export function addPaymentIssueCleared(writes: Writes, accountId: string, invoiceId: string): Writes {
  return writes.after((p) => `UPDATE accounts SET payment_issue = NULL WHERE id = ${p(accountId)} AND payment_issue->>'invoice' = ${p(invoiceId)}`);
}

/** The account's own prices, replacing those it had (the JSON the API takes; {} for none). */
export function addAccountPricesWrite(writes: Writes, accountId: string, prices: Record<string, unknown>): Writes {
  return writes.add((p) => `UPDATE accounts SET prices = ${p(JSON.stringify(prices))}::jsonb WHERE id = ${p(accountId)}`);
}

/** Accounts not on catalog version `version` whose subscription has not ended, on one of `plans` when given, in id order. */
export async function readAccountsOffVersion(
  db: Queryable,
  { version, plans }: { version: number; plans: readonly string[] | null },
): Promise<{ id: string; plan: string }[]> {
  return db.query<{ id: string; plan: string }>(
    `SELECT id, plan FROM accounts WHERE catalog_version <> $1 AND ended_at IS NULL AND ($2::text[] IS NULL OR plan = ANY($2::text[])) ORDER BY id`,
    [version, plans],
  );
}

/** The catalog version the account is on; undefined where there is no such account. */
export async function readCatalogVersionOf(db: Queryable, accountId: string): Promise<number | undefined> {
  const rows = await db.query<{ catalog_version: number }>('SELECT catalog_version FROM accounts WHERE id = $1', [accountId]);
  return rows[0]?.catalog_version;
}
