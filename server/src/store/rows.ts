// Row <-> domain mapping for the tables every use case reads: accounts and grants.
import { accountPricesFromJson } from '../domain/account/AccountPrices';
import type { Account } from '../domain/account/Account';
import type { Interval } from '../domain/catalog/Catalog';
import type { Grant } from '../domain/ledger/drawGrants';
import { money } from '../domain/money';
import type { Queryable } from './Database';
import { jsonDate, jsonDateOrNull, type JsonRow } from './Reads';

export const ACCOUNT_COLUMNS =
  'id, name, email, metadata, plan, billing_interval, anchor, status, balance, debt, created_at, billing, payment_issue, plan_since, scheduled_change, resources, ends_at, ended_at, allowance_extras, cycle_start, cycle_end, spend_limit, fee_paid_until, locale, time_zone, prices, catalog_version';
export const GRANT_COLUMNS = 'id, account_id, kind, priority, amount, remaining, granted_at, expires_at';
/** The grant columns as a read of several parts (Reads) takes them: amounts as text, which JSON keeps to the digit. */
export const GRANT_JSON_COLUMNS = GRANT_COLUMNS.replace('amount, remaining', 'amount::text AS amount, remaining::text AS remaining');

/** A grant's row as such a read gives it back, its timestamps Dates again. */
export function grantRowFromJson(row: JsonRow): GrantRow {
  return { ...row, granted_at: jsonDate(row['granted_at']), expires_at: jsonDateOrNull(row['expires_at']) } as GrantRow;
}

export interface AccountRow {
  id: string;
  name: string;
  email: string | null;
  metadata: Record<string, string>;
  plan: string;
  billing_interval: Interval;
  anchor: Date;
  status: Account['status'];
  balance: string;
  debt: string;
  created_at: Date;
  billing: Account['billing'];
  payment_issue: Account['paymentIssue'];
  plan_since: Date | null;
  scheduled_change: Account['scheduledChange'];
  resources: Account['resources'];
  ends_at: Date | null;
  ended_at: Date | null;
  allowance_extras: Account['allowanceExtras'];
  cycle_start: Date | null;
  cycle_end: Date | null;
  spend_limit: string | null;
  fee_paid_until: Date | null;
  locale: string;
  time_zone: string;
  /** Absent where a query names its own columns. */
  prices?: unknown;
  catalog_version: number;
  [column: string]: unknown;
}

export interface GrantRow {
  id: string;
  account_id: string;
  kind: Grant['kind'];
  priority: number;
  amount: string;
  remaining: string;
  granted_at: Date;
  expires_at: Date | null;
  [column: string]: unknown;
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    metadata: row.metadata,
    plan: row.plan,
    interval: row.billing_interval,
    anchor: row.anchor,
    status: row.status,
    balance: money(row.balance),
    debt: money(row.debt),
    createdAt: row.created_at,
    billing: row.billing,
    paymentIssue: row.payment_issue,
    planSince: row.plan_since,
    scheduledChange: row.scheduled_change,
    resources: row.resources,
    endsAt: row.ends_at,
    endedAt: row.ended_at,
    allowanceExtras: row.allowance_extras,
    cycleStart: row.cycle_start,
    cycleEnd: row.cycle_end,
    spendLimit: row.spend_limit === null ? null : money(row.spend_limit),
    feePaidUntil: row.fee_paid_until,
    locale: row.locale,
    timeZone: row.time_zone,
    ...withPrices(row.id, row.prices),
    catalogVersion: row.catalog_version,
  };
}

/** Unreadable stored prices already warned of, by account and service: said once per process, not per read. */
const warnedPrices = new Set<string>();

/**
 * The account's own prices, left off where it has none (most accounts). A stored entry that no
 * longer parses is left out with a warning naming it; the account's other prices stand.
 */
function withPrices(accountId: string, json: unknown): Pick<Account, 'prices'> {
  if (json === null || json === undefined || (typeof json === 'object' && Object.keys(json).length === 0)) return {};
  const { prices, unreadable } = accountPricesFromJson(json);
  for (const bad of unreadable) {
    const key = `${accountId}\u0000${bad.service}`;
    if (warnedPrices.has(key)) continue;
    warnedPrices.add(key);
    process.emitWarning(`Account ${accountId}: its stored price for '${bad.service}' does not parse and is left out (${bad.message})`, 'AccountPriceWarning');
  }
  return Object.keys(prices).length > 0 ? { prices } : {};
}

export function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    kind: row.kind,
    priority: row.priority,
    amount: money(row.amount),
    remaining: money(row.remaining),
    grantedAt: row.granted_at,
    expiresAt: row.expires_at,
  };
}

/** Grants with something left, by account. */
export async function readOpenGrants(db: Queryable, accountIds: readonly string[]): Promise<Map<string, Grant[]>> {
  const rows = await db.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE account_id = ANY($1::text[]) AND remaining > 0`, [accountIds]);
  const byAccount = new Map<string, Grant[]>(accountIds.map((id) => [id, []]));
  for (const row of rows) byAccount.get(row.account_id)?.push(toGrant(row));
  return byAccount;
}
