// Writes account books (see domain/ledger/AccountBook): new grants, changed grants, ledger entries
// and the accounts' cached balance and status, each table in one statement for all books.
import type { BookChanges } from '../domain/ledger/AccountBook';
import { decimalString } from '../domain/money';
import type { Queryable } from './Database';

export async function saveBooks(tx: Queryable, writes: BookChanges, recordedAt: Date): Promise<void> {
  if (writes.newGrants.length > 0) {
    const g = writes.newGrants;
    await tx.query(
      `INSERT INTO grants (id, account_id, kind, priority, amount, remaining, granted_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::numeric[], $6::numeric[], $7::timestamptz[], $8::timestamptz[])`,
      [
        g.map((x) => x.grant.id),
        g.map((x) => x.accountId),
        g.map((x) => x.grant.kind),
        g.map((x) => x.grant.priority),
        g.map((x) => decimalString(x.grant.amount)),
        g.map((x) => decimalString(x.grant.remaining)),
        g.map((x) => x.grant.grantedAt.toISOString()),
        g.map((x) => x.grant.expiresAt?.toISOString() ?? null),
      ],
    );
  }
  const changed = writes.changedGrants;
  if (changed.length > 0) {
    await tx.query(
      `UPDATE grants SET remaining = u.remaining FROM unnest($1::text[], $2::numeric[]) AS u(id, remaining) WHERE grants.id = u.id`,
      [changed.map((c) => c.id), changed.map((c) => decimalString(c.remaining))],
    );
  }
  if (writes.ledger.length > 0) {
    const l = writes.ledger;
    await tx.query(
      `INSERT INTO ledger_entries (id, account_id, kind, amount, balance_after, grant_id, event_id, reference, description, occurred_at, recorded_at)
       SELECT u.*, $11::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[]) AS u`,
      [
        l.map((e) => e.id),
        l.map((e) => e.accountId),
        l.map((e) => e.kind),
        l.map((e) => decimalString(e.amount)),
        l.map((e) => decimalString(e.balanceAfter)),
        l.map((e) => e.grantId),
        l.map((e) => e.eventId),
        l.map((e) => e.reference),
        l.map((e) => e.description),
        l.map((e) => e.occurredAt.toISOString()),
        recordedAt.toISOString(),
      ],
    );
  }
  if (writes.accounts.length > 0) {
    const a = writes.accounts;
    await tx.query(
      `UPDATE accounts SET balance = u.balance, debt = u.debt, status = u.status
       FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::text[]) AS u(id, balance, debt, status) WHERE accounts.id = u.id`,
      [a.map((x) => x.id), a.map((x) => decimalString(x.balance)), a.map((x) => decimalString(x.debt)), a.map((x) => x.status)],
    );
  }
}
