// The opaque cursor of a list paged by an append-only table's seq (the ledger, the audit log).
import { DomainFailure, validationFailed } from '../domain/errors';

/** The seq a cursor stands for; a cursor this server did not issue is refused, naming the field. */
export function seqOfCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  // 18 digits: every one fits a bigint, so no cursor can reach the store as an overflow.
  if (!/^\d{1,18}$/.test(decoded)) throw new DomainFailure(validationFailed('cursor', 'is not a cursor this server issued'));
  return decoded;
}

/** The cursor of the page after `limit` rows, when more rows than that were read (one extra is asked for). */
export function nextCursor(rows: readonly { seq: string }[], limit: number): string | null {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return last ? Buffer.from(last.seq, 'utf8').toString('base64url') : null;
}
