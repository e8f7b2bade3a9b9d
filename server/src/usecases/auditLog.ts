// Pages through the audit log, newest first, by account, key and time, with an opaque cursor. A key
// limited to accounts reads only the rows about those accounts alone.
import { type ApiKey, reaches } from '../domain/access/ApiKey';
import type { AuditEntry } from '../domain/audit/AuditEntry';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
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
  let before: string | undefined;
  if (query.cursor !== undefined) {
    const decoded = Buffer.from(query.cursor, 'base64url').toString('utf8');
    // 18 digits: every one fits a bigint, so no cursor can reach the store as an overflow.
    if (!/^\d{1,18}$/.test(decoded)) throw new DomainFailure(validationFailed('cursor', 'is not a cursor this server issued'));
    before = decoded;
  }
  const rows = await readAuditLog(context.db, { ...query, before, within: reader.accounts, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(auditEntryView),
    nextCursor: rows.length > query.limit && last ? Buffer.from(last.seq, 'utf8').toString('base64url') : null,
  };
}
