// Webhook endpoints and deliveries: subscription rows, claiming due attempts, recording outcomes.
import type { WebhookEventType } from '../domain/webhooks/WebhookEvent';
import type { Queryable } from './Database';

export interface Endpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: Date;
  disabledAt: Date | null;
  disabledReason: string | null;
}

interface EndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  created_at: Date;
  disabled_at: Date | null;
  disabled_reason: string | null;
  [column: string]: unknown;
}

const ENDPOINT_COLUMNS = 'id, url, events, description, created_at, disabled_at, disabled_reason';
/** Deleted endpoints stay (their deliveries refer to them) but are no longer shown. */
export const DELETED = 'deleted';

const toEndpoint = (row: EndpointRow): Endpoint => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
  disabledReason: row.disabled_reason,
});

export async function insertEndpoint(db: Queryable, endpoint: Endpoint, secret: string): Promise<void> {
  await db.query(`INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at) VALUES ($1, $2, $3::text[], $4, $5, $6)`, [
    endpoint.id,
    endpoint.url,
    endpoint.events,
    endpoint.description,
    secret,
    endpoint.createdAt.toISOString(),
  ]);
}

export async function listEndpoints(db: Queryable): Promise<Endpoint[]> {
  const rows = await db.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE disabled_reason IS DISTINCT FROM $1 ORDER BY created_at, id`,
    [DELETED],
  );
  return rows.map(toEndpoint);
}

export async function readEndpoint(db: Queryable, id: string): Promise<Endpoint | undefined> {
  const [row] = await db.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND disabled_reason IS DISTINCT FROM $2`,
    [id, DELETED],
  );
  return row ? toEndpoint(row) : undefined;
}

/** Disables an endpoint and gives up its pending deliveries. False if there was no such endpoint. */
export async function disableEndpoint(db: Queryable, { id, reason, now }: { id: string; reason: string; now: Date }): Promise<boolean> {
  const rows = await db.query(
    `WITH e AS (
       UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, $3::timestamptz), disabled_reason = $2
       WHERE id = $1 AND disabled_reason IS DISTINCT FROM 'deleted' RETURNING id),
     d AS (
       UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint ' || $2
       WHERE endpoint_id IN (SELECT id FROM e) AND status = 'pending')
     SELECT id FROM e`,
    [id, reason, now.toISOString()],
  );
  return rows.length > 0;
}

export interface ClaimedAttempt {
  deliveryId: string;
  endpointId: string;
  attempt: number;
  url: string;
  secret: string;
  messageId: string;
  type: WebhookEventType;
  accountId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Takes up to `limit` due attempts for this process: each is counted and its next try pushed to
 * `leaseUntil` in the same statement, so no other process takes the same attempt; if this process
 * dies while sending, the attempt is taken again once the lease runs out.
 */
export async function claimDueAttempts(db: Queryable, { now, leaseUntil, limit }: { now: Date; leaseUntil: Date; limit: number }): Promise<ClaimedAttempt[]> {
  const rows = await db.query<{
    id: string;
    endpoint_id: string;
    attempts: number;
    url: string;
    secret: string;
    message_id: string;
    type: WebhookEventType;
    account_id: string | null;
    data: Record<string, unknown>;
    occurred_at: Date;
  }>(
    `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2::timestamptz, last_attempt_at = $1::timestamptz
     FROM (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due,
          webhook_endpoints e, outbox_messages m
     WHERE d.id = due.id AND e.id = d.endpoint_id AND m.id = d.message_id
     RETURNING d.id, d.endpoint_id, d.attempts, e.url, e.secret, m.id AS message_id, m.type, m.account_id, m.data, m.occurred_at`,
    [now.toISOString(), leaseUntil.toISOString(), limit],
  );
  return rows.map((r) => ({
    deliveryId: r.id,
    endpointId: r.endpoint_id,
    attempt: r.attempts,
    url: r.url,
    secret: r.secret,
    messageId: r.message_id,
    type: r.type,
    accountId: r.account_id,
    data: r.data,
    occurredAt: r.occurred_at,
  }));
}

export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** pending with the next try's time, or done. */
  next: { status: 'pending'; at: Date } | { status: 'succeeded' | 'failed' };
}

/** Records an attempt; only the holder of the attempt (same attempt number) may record it. */
export async function recordAttempt(db: Queryable, claimed: ClaimedAttempt, outcome: AttemptOutcome): Promise<void> {
  await db.query(
    `WITH a AS (
       INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING delivery_id)
     UPDATE webhook_deliveries SET status = $7, next_attempt_at = coalesce($8::timestamptz, next_attempt_at),
       last_status_code = $5, last_error = $6
     WHERE id IN (SELECT delivery_id FROM a) AND attempts = $2`,
    [
      claimed.deliveryId,
      claimed.attempt,
      outcome.startedAt.toISOString(),
      Math.round(outcome.durationMs),
      outcome.statusCode,
      outcome.error,
      outcome.next.status,
      outcome.next.status === 'pending' ? outcome.next.at.toISOString() : null,
    ],
  );
}

export interface DeliveryView {
  id: string;
  message: { id: string; type: WebhookEventType; account: string | null; occurredAt: string };
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  history: { attempt: number; startedAt: string; durationMs: number | null; statusCode: number | null; error: string | null }[];
}

export async function listDeliveries(db: Queryable, endpointId: string, limit: number): Promise<DeliveryView[]> {
  const rows = await db.query<{
    id: string;
    message_id: string;
    type: WebhookEventType;
    account_id: string | null;
    occurred_at: Date;
    status: string;
    attempts: number;
    next_attempt_at: Date;
    last_status_code: number | null;
    last_error: string | null;
    created_at: Date;
  }>(
    `SELECT d.id, d.message_id, m.type, m.account_id, m.occurred_at, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at
     FROM webhook_deliveries d JOIN outbox_messages m ON m.id = d.message_id
     WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    [endpointId, limit],
  );
  const attempts = await db.query<{ delivery_id: string; attempt: number; started_at: Date; duration_ms: number; status_code: number | null; error: string | null }>(
    `SELECT delivery_id, attempt, started_at, duration_ms, status_code, error FROM webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY attempt`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    id: r.id,
    message: { id: r.message_id, type: r.type, account: r.account_id, occurredAt: r.occurred_at.toISOString() },
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    history: attempts
      .filter((a) => a.delivery_id === r.id)
      // Without an answer the duration is withheld: a refused connection (1 ms) and a silent
      // port (the whole timeout) would tell which ports are open.
      .map((a) => ({ attempt: a.attempt, startedAt: a.started_at.toISOString(), durationMs: a.status_code === null ? null : a.duration_ms, statusCode: a.status_code, error: a.error })),
  }));
}

/**
 * Makes a finished delivery (succeeded or failed) due again now: a retry by hand. A pending one is
 * left alone: it is scheduled already, or being sent right now by some process.
 */
export async function retryDelivery(db: Queryable, { endpointId, deliveryId, now }: { endpointId: string; deliveryId: string; now: Date }): Promise<'retried' | 'pending' | 'missing'> {
  const [row] = await db.query<{ was: string }>(
    `WITH old AS (SELECT d.id, d.status FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                  WHERE d.id = $2 AND d.endpoint_id = $1 AND e.disabled_at IS NULL FOR UPDATE OF d),
     upd AS (UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = $3::timestamptz
             FROM old WHERE d.id = old.id AND old.status <> 'pending')
     SELECT status AS was FROM old`,
    [endpointId, deliveryId, now.toISOString()],
  );
  if (!row) return 'missing';
  return row.was === 'pending' ? 'pending' : 'retried';
}

/** Deliveries waiting to be sent, and since when the oldest waits: for the metrics. */
export async function readDeliveryBacklog(db: Queryable): Promise<{ pending: number; oldest: Date | null }> {
  const [row] = await db.query<{ pending: string; oldest: Date | null }>(
    `SELECT count(*)::text AS pending, min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'`,
  );
  return { pending: Number(row!.pending), oldest: row!.oldest ? new Date(row!.oldest) : null };
}
