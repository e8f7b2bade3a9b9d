// The stored events of an account, newest first, as an operator looks for the one behind a charge
// (seed 002: "why was I charged so much?"): by type, time and assistant, campaign or number, paged
// by an opaque cursor.
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { readAccount } from '../store/accounts';
import { type EventFilter, readEventPage } from '../store/usageEvents';
import type { Context } from './Context';

/** Where the page after an event starts: when the event happened and its id. */
interface EventCursor {
  at: Date;
  id: string;
}

function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

/** The event a cursor names; a cursor this server did not issue is refused, naming the field. */
function decodeCursor(text: string): EventCursor {
  const refused = () => new DomainFailure(validationFailed('cursor', 'is not a cursor this server issued'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw refused();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 200) throw refused();
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || when.toISOString() !== at) throw refused();
  return { at: when, id };
}

export async function listEvents(context: Context, { filter, cursor, limit }: { filter: EventFilter; cursor: string | undefined; limit: number }) {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (!(await readAccount(context.db, filter.accountId))) throw new DomainFailure(notFound('account', filter.accountId));
  // One more than the page: whether a next page exists, without counting.
  const rows = await readEventPage(context.db, { filter, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.timestamp, id: last.id }) : null,
  };
}
