// Writes account books (see domain/ledger/AccountBook): new grants, changed grants, ledger entries
// and the accounts' cached balance and status, each table in one part for all books. Each entry
// names the key whose request made it.
import type { ChargedFee } from '../domain/invoice/cycleInvoice';
import type { BookChanges } from '../domain/ledger/AccountBook';
import type { LedgerEntry } from '../domain/ledger/LedgerEntry';
import { currentKeyId } from '../audit/RequestTrail';
import { decimalString, money } from '../domain/money';
import type { Queryable } from './Database';
import { Writes } from './Writes';

/**
 * The NOTIFY channel of changes to an account's balance, grants, allowances or plan. A payload names
 * the accounts changed, separated by spaces (ids hold none): one notification per transaction
 * instead of one per account. A writer that tells its own process the accounts' new state (see
 * AccountSnapshots) names itself first, as `#origin`: an id never starts with `#`.
 */
export const ACCOUNT_CHANGES = 'creditmeter_account_changed';
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7000;
const ORIGIN_MARK = '#';

export function accountChangePayloads(accountIds: readonly string[], origin?: string): string[] {
  const head = origin === undefined ? '' : `${ORIGIN_MARK}${origin}`;
  const payloads: string[] = [];
  let current = head;
  for (const id of accountIds) {
    if (current.length > head.length && current.length + 1 + id.length > MAX_PAYLOAD) {
      payloads.push(current);
      current = head;
    }
    current = current.length === 0 ? id : `${current} ${id}`;
  }
  if (current.length > head.length) payloads.push(current);
  return payloads;
}

export function changedAccountsIn(payload: string): string[] {
  const words = payload.split(' ');
  return words[0]?.startsWith(ORIGIN_MARK) ? words.slice(1) : words;
}

/** The writer that named itself in the payload, if one did. */
export function changeOrigin(payload: string): string | undefined {
  return payload.startsWith(ORIGIN_MARK) ? payload.slice(ORIGIN_MARK.length).split(' ', 1)[0] : undefined;
}

/** Which key's request made a ledger entry: null for the server's own work (a cycle closing). */
export type EntryMaker = (entry: LedgerEntry) => string | null;

/** The maker of every entry written now: the key of the request running, if any. */
const madeByCurrentRequest: EntryMaker = () => currentKeyId();

export function addBookWrites(
  writes: Writes,
  {
    changes,
    recordedAt,
    makerOf = madeByCurrentRequest,
    origin,
  }: {
    changes: BookChanges;
    recordedAt: Date;
    makerOf?: EntryMaker;
    /** The writer, where it tells its own process the accounts' new state at commit (see ACCOUNT_CHANGES). */
    origin?: string | undefined;
  },
): Writes {
  const g = changes.newGrants;
  if (g.length > 0) {
    writes.add(
      (p) => `INSERT INTO grants (id, account_id, kind, priority, amount, remaining, granted_at, expires_at)
       SELECT * FROM unnest(${p(g.map((x) => x.grant.id))}::text[], ${p(g.map((x) => x.accountId))}::text[], ${p(g.map((x) => x.grant.kind))}::text[],
         ${p(g.map((x) => x.grant.priority))}::int[], ${p(g.map((x) => decimalString(x.grant.amount)))}::numeric[],
         ${p(g.map((x) => decimalString(x.grant.remaining)))}::numeric[], ${p(g.map((x) => x.grant.grantedAt.toISOString()))}::timestamptz[],
         ${p(g.map((x) => x.grant.expiresAt?.toISOString() ?? null))}::timestamptz[])`,
    );
  }
  const c = changes.changedGrants;
  if (c.length > 0) {
    writes.add(
      (p) => `UPDATE grants SET remaining = u.remaining
       FROM unnest(${p(c.map((x) => x.id))}::text[], ${p(c.map((x) => decimalString(x.remaining)))}::numeric[]) AS u(id, remaining)
       WHERE grants.id = u.id`,
    );
  }
  const l = changes.ledger;
  if (l.length > 0) {
    writes.add(
      (
        p,
      ) => `INSERT INTO ledger_entries (id, account_id, kind, amount, balance_after, grant_id, event_id, reference, description, reason, occurred_at, key_id, recorded_at)
       SELECT u.*, ${p(recordedAt.toISOString())}::timestamptz
       FROM unnest(${p(l.map((e) => e.id))}::text[], ${p(l.map((e) => e.accountId))}::text[], ${p(l.map((e) => e.kind))}::text[],
         ${p(l.map((e) => decimalString(e.amount)))}::numeric[], ${p(l.map((e) => decimalString(e.balanceAfter)))}::numeric[],
         ${p(l.map((e) => e.grantId))}::text[], ${p(l.map((e) => e.eventId))}::text[], ${p(l.map((e) => e.reference))}::text[],
         ${p(l.map((e) => e.description))}::text[], ${p(l.map((e) => e.reason))}::text[], ${p(l.map((e) => e.occurredAt.toISOString()))}::timestamptz[], ${p(l.map(makerOf))}::text[]) AS u`,
    );
  }
  const a = changes.accounts;
  if (a.length > 0) {
    writes.add(
      (p) => `UPDATE accounts SET balance = u.balance, debt = u.debt, status = u.status
       FROM unnest(${p(a.map((x) => x.id))}::text[], ${p(a.map((x) => decimalString(x.balance)))}::numeric[],
         ${p(a.map((x) => decimalString(x.debt)))}::numeric[], ${p(a.map((x) => x.status))}::text[]) AS u(id, balance, debt, status)
       WHERE accounts.id = u.id`,
    );
  }
  return writes.notify(
    ACCOUNT_CHANGES,
    accountChangePayloads(
      a.map((x) => x.id),
      origin,
    ),
  );
}

/** The fees (number rents) charged to the account within the period, one per reference, as charged (positive). */
export async function readFeesCharged(tx: Queryable, accountId: string, period: { start: Date; end: Date }): Promise<ChargedFee[]> {
  // A rent's reference is its number's id (the first month's) or the id and the month it renews.
  const rows = await tx.query<{
    description: string;
    amount: string;
    first_at: Date | string;
    number: string | null;
    type: string | null;
    country: string | null;
  }>(
    `SELECT f.description, f.amount, f.first_at, n.number, n.type, n.country
     FROM (SELECT reference, min(description) AS description, (-sum(amount))::text AS amount, min(occurred_at) AS first_at FROM ledger_entries
           WHERE account_id = $1 AND kind = 'fee' AND occurred_at >= $2 AND occurred_at < $3 GROUP BY reference) f
     LEFT JOIN phone_numbers n ON n.account_id = $1 AND n.id = split_part(f.reference, ':', 1)
     ORDER BY f.first_at, f.reference`,
    [accountId, period.start.toISOString(), period.end.toISOString()],
  );
  return rows.map((f) => ({
    description: f.description,
    amount: money(f.amount),
    ...(f.number && f.type && f.country
      ? { text: { kind: 'numberRent' as const, number: f.number, type: f.type, country: f.country, period: { start: new Date(f.first_at), end: period.end } } }
      : {}),
  }));
}

/** What the invoice's settlement has left: what it settled less what corrections took back since. */
export async function readSettledLeft(tx: Queryable, accountId: string, invoiceId: string) {
  const [row] = await tx.query<{ amount: string | null }>(
    `SELECT sum(amount)::text AS amount FROM ledger_entries WHERE account_id = $1 AND reference = $2 AND kind IN ('settlement', 'unsettlement')`,
    [accountId, invoiceId],
  );
  return money(row?.amount ?? '0');
}

/** The columns a LedgerRow holds. */
export const LEDGER_COLUMNS = 'seq, id, kind, amount, balance_after, grant_id, event_id, reference, description, reason, occurred_at, recorded_at, key_id';

export interface LedgerRow {
  seq: string;
  id: string;
  kind: string;
  amount: string;
  balance_after: string;
  grant_id: string | null;
  event_id: string | null;
  reference: string | null;
  description: string;
  reason: string | null;
  occurred_at: Date;
  recorded_at: Date;
  key_id: string | null;
  [column: string]: unknown;
}

/** The account's entries after the one numbered `after`, in the order they were written. */
export async function readLedgerPage(db: Queryable, page: { accountId: string; after: string; limit: number }): Promise<LedgerRow[]> {
  return db.query<LedgerRow>(
    // seq stays a bigint (both drivers hand it over as a string): ordered as text, 10 would come before 2.
    `SELECT ${LEDGER_COLUMNS}
     FROM ledger_entries WHERE account_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
    [page.accountId, page.after, page.limit],
  );
}
