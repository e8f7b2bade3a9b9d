// Pages through the audit log, newest first, by account, key and time, with an opaque cursor. A key
// limited to accounts reads only the rows about those accounts alone.
import { type ApiKey, reaches } from '../domain/access/ApiKey';
import type { AuditEntry } from '../domain/audit/AuditEntry';
import { DomainFailure, notFound } from '../domain/errors';
import { nextCursor, seqOfCursor } from './seqCursor';
import { readAuditLog } from '../store/auditLog';
import type { Context } from './Context';

export interface AuditQuery {
  account?: string | undefined;
  key?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

export function auditEntryView(entry: AuditEntry) {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    keyId: entry.keyId,
    method: entry.method,
    route: entry.route,
    accounts: entry.accounts,
    ids: entry.ids,
    status: entry.status,
    transactional: entry.transactional,
    requestId: entry.requestId,
  };
}

export async function listAuditLog(context: Context, query: AuditQuery, reader: ApiKey) {
  if (query.account !== undefined && !reaches(reader, query.account)) throw new DomainFailure(notFound('account', query.account));
  const before = query.cursor === undefined ? undefined : seqOfCursor(query.cursor);
  const rows = await readAuditLog(context.db, { ...query, before, within: reader.accounts, limit: query.limit + 1 });
  return { entries: rows.slice(0, query.limit).map(auditEntryView), nextCursor: nextCursor(rows, query.limit) };
}
