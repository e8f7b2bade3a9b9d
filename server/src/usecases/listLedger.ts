// Pages through an account's ledger in the order it was written, with an opaque cursor.
import { DomainFailure, notFound } from '../domain/errors';
import { nextCursor, seqOfCursor } from './seqCursor';
import { readAccount } from '../store/accounts';
import { type LedgerRow, readLedgerPage } from '../store/books';
import type { Context } from './Context';
import type { LedgerEntry } from '../domain/ledger/LedgerEntry';
import { decimalString } from '../domain/money';

export const DEFAULT_PAGE_SIZE = 100;
/** Largest page: keeps one response under a few hundred kilobytes. */
export const MAX_PAGE_SIZE = 1000;

export async function listLedger(context: Context, { accountId, cursor, limit }: { accountId: string; cursor: string | undefined; limit: number }) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const after = cursor === undefined ? '0' : seqOfCursor(cursor);
  const rows = await readLedgerPage(context.db, { accountId, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    entries: page.map(ledgerEntryView),
    nextCursor: nextCursor(rows, limit),
  };
}

/** An entry as the API shows it: why (reason, for a correction) and which key's request made it (keyId). */
export function ledgerEntryView(r: LedgerRow) {
  return {
    id: r.id,
    kind: r.kind,
    amount: r.amount,
    balanceAfter: r.balance_after,
    grantId: r.grant_id,
    eventId: r.event_id,
    reference: r.reference,
    description: r.description,
    reason: r.reason,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    keyId: r.key_id,
  };
}

export type LedgerEntryView = ReturnType<typeof ledgerEntryView>;

/** An entry just written, as the ledger listing will show it. */
export function writtenEntryView(entry: LedgerEntry, written: { recordedAt: Date; keyId: string | null }): LedgerEntryView {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: decimalString(entry.amount),
    balanceAfter: decimalString(entry.balanceAfter),
    grantId: entry.grantId,
    eventId: entry.eventId,
    reference: entry.reference,
    description: entry.description,
    reason: entry.reason,
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: written.recordedAt.toISOString(),
    keyId: written.keyId,
  };
}
