// Audit log rows: appended (many in one statement), and read newest first by filter and cursor.
import type { AuditEntry } from '../domain/audit/AuditEntry';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

/** Adds the rows to a transaction's writes. */
export function addAuditWrites(writes: Writes, entries: readonly AuditEntry[]): Writes {
  if (entries.length === 0) return writes;
  // unnest cannot take arrays of arrays of unequal length: the id lists travel as JSON.
  return writes.add(
    (p) => `INSERT INTO audit_log (id, at, key_id, method, route, accounts, ids, status, transactional, request_id)
     SELECT u.id, u.at, u.key_id, u.method, u.route,
       ARRAY(SELECT jsonb_array_elements_text(u.accounts)), ARRAY(SELECT jsonb_array_elements_text(u.ids)),
       u.status, u.transactional, u.request_id
     FROM unnest(${p(entries.map((e) => e.id))}::text[], ${p(entries.map((e) => e.at.toISOString()))}::timestamptz[],
       ${p(entries.map((e) => e.keyId))}::text[], ${p(entries.map((e) => e.method))}::text[], ${p(entries.map((e) => e.route))}::text[],
       ${p(entries.map((e) => JSON.stringify(e.accounts)))}::jsonb[], ${p(entries.map((e) => JSON.stringify(e.ids)))}::jsonb[],
       ${p(entries.map((e) => e.status))}::int[], ${p(entries.map((e) => e.transactional))}::boolean[], ${p(entries.map((e) => e.requestId))}::text[])
       AS u(id, at, key_id, method, route, accounts, ids, status, transactional, request_id)`,
  );
}

export interface AuditFilter {
  account?: string | undefined;
  key?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Rows older than this position (a cursor). */
  before?: string | undefined;
  /** For a key limited to accounts: only rows about those accounts alone. */
  within?: readonly string[] | null;
  limit: number;
}

interface Row {
  seq: string;
  id: string;
  at: Date;
  key_id: string;
  method: string;
  route: string;
  accounts: string[];
  ids: string[];
  status: number;
  transactional: boolean;
  request_id: string;
  [column: string]: unknown;
}

export async function readAuditLog(db: Queryable, filter: AuditFilter): Promise<Array<AuditEntry & { seq: string }>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.account !== undefined) where.push(`accounts @> ARRAY[${param(filter.account)}::text]`);
  if (filter.key !== undefined) where.push(`key_id = ${param(filter.key)}`);
  if (filter.from !== undefined) where.push(`at >= ${param(filter.from.toISOString())}::timestamptz`);
  if (filter.to !== undefined) where.push(`at < ${param(filter.to.toISOString())}::timestamptz`);
  if (filter.before !== undefined) where.push(`seq < ${param(filter.before)}::bigint`);
  if (filter.within) where.push(`cardinality(accounts) > 0 AND accounts <@ ${param(filter.within)}::text[]`);
  const rows = await db.query<Row>(
    `SELECT seq, id, at, key_id, method, route, accounts, ids, status, transactional, request_id FROM audit_log
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${param(filter.limit)}`,
    params,
  );
  return rows.map((r) => ({
    seq: r.seq,
    id: r.id,
    at: r.at,
    keyId: r.key_id,
    method: r.method,
    route: r.route,
    accounts: r.accounts,
    ids: r.ids,
    status: r.status,
    transactional: r.transactional,
    requestId: r.request_id,
  }));
}
