// Outbox writes: each message, and a pending delivery for every enabled endpoint subscribed to its
// type, join the statement of the change they report; the commit wakes the dispatchers.
import type { OutboxMessage } from '../domain/webhooks/WebhookEvent';
import type { Writes } from './Writes';

/** The NOTIFY channel that tells dispatchers new deliveries are due. */
export const OUTBOX_CHANNEL = 'creditmeter_outbox';

export function addOutboxWrites(writes: Writes, messages: readonly OutboxMessage[], now: Date): Writes {
  if (messages.length === 0) return writes;
  const m = messages;
  const ids = m.map((x) => x.id);
  const types = m.map((x) => x.type);
  writes.add(
    (p) => `INSERT INTO outbox_messages (id, type, account_id, data, occurred_at)
     SELECT i, t, a, d::jsonb, o FROM unnest(${p(ids)}::text[], ${p(types)}::text[], ${p(m.map((x) => x.accountId))}::text[],
       ${p(m.map((x) => JSON.stringify(x.data)))}::text[], ${p(m.map((x) => x.occurredAt.toISOString()))}::timestamptz[]) AS u(i, t, a, d, o)`,
  );
  writes.add(
    (p) => `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, status, attempts, next_attempt_at, created_at)
     SELECT 'dlv_' || u.i || '_' || e.id, e.id, u.i, 'pending', 0, ${p(now.toISOString())}::timestamptz, ${p(now.toISOString())}::timestamptz
     FROM unnest(${p(ids)}::text[], ${p(types)}::text[]) AS u(i, t)
     JOIN webhook_endpoints e ON e.disabled_at IS NULL AND u.t = ANY (e.events)`,
  );
  return writes.notify(OUTBOX_CHANNEL, ['due']);
}
