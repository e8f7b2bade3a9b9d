// Whether an event sent again under an id already recorded is the same event. An identical resend
// is a duplicate (charged once, answered with the first outcome); one with other content is a
// client bug that must not pass silently as a duplicate, nor be charged again.
import { type DomainError, idempotencyConflict } from '../errors';
import type { UsageEvent } from '../event/UsageEvent';
import type { StoredEvent } from './planIngestion';

type Flat = Record<string, string | number | boolean | undefined> | undefined;

/** The first field in which `again` differs from the event recorded first, as a conflict; undefined when the same. */
export function conflictWithRecorded(first: StoredEvent, again: UsageEvent): DomainError | undefined {
  const what = `Event '${again.id}'`;
  if (first.type !== again.type) return idempotencyConflict({ what, field: 'type', first: first.type, again: again.type });
  // The same instant in another offset is the same time; a resend that left the time to the server
  // (stamped on receipt) says nothing about it.
  if (!again.stampedOnReceipt && first.timestamp.getTime() !== new Date(again.timestamp).getTime()) {
    return idempotencyConflict({ what, field: 'timestamp', first: first.timestamp.toISOString(), again: again.timestamp });
  }
  const data = firstDifference(first.data, again.data as Flat);
  if (data) return idempotencyConflict({ what, field: `data.${data.key}`, first: data.first, again: data.again });
  const metadata = firstDifference(first.metadata, again.metadata);
  if (metadata) return idempotencyConflict({ what, field: `metadata.${metadata.key}`, first: metadata.first, again: metadata.again });
  if ((first.reservation ?? null) !== (again.reservation ?? null)) return idempotencyConflict({ what, field: 'reservation', first: first.reservation ?? null, again: again.reservation ?? null });
  return undefined;
}

/** Whether an amendment asks for the data the event already has (a resend of the amendment). */
export function sameData(recorded: Pick<StoredEvent, 'data'>, amended: Pick<UsageEvent, 'data'>): boolean {
  return firstDifference(recorded.data, amended.data as Flat) === undefined;
}

/** Flat records compared key by key, in name order; an absent key reads as null. */
function firstDifference(first: Flat, again: Flat): { key: string; first: unknown; again: unknown } | undefined {
  const keys = [...new Set([...Object.keys(first ?? {}), ...Object.keys(again ?? {})])].sort();
  for (const key of keys) {
    const a = first?.[key] ?? null;
    const b = again?.[key] ?? null;
    if (a !== b) return { key, first: a, again: b };
  }
  return undefined;
}
