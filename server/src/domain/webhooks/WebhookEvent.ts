// The events creditmeter reports to webhook subscribers, and the message the outbox holds for each.
import type { NewId } from '../ledger/LedgerEntry';
import type { WebhookData } from './WebhookMessages';

export const WEBHOOK_EVENT_TYPES = [
  'usage.threshold_reached',
  'balance.low',
  'balance.depleted',
  'balance.adjusted',
  'service.paused',
  'service.resumed',
  'spend_limit.reached',
  'topup.requested',
  'topup.succeeded',
  'recharge.requested',
  'recharge.failed',
  'plan.changed',
  'plan.change_scheduled',
  'plan.change_failed',
  'cycle.closed',
  'invoice.created',
  'invoice.draft_blocked',
  'invoice.payment_failed',
  'invoice.voided',
  'credit_note.created',
  'number.rented',
  'number.released',
  'usage.voided',
  'usage.amended',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

interface Envelope<T extends WebhookEventType> {
  /** Also the `webhook-id` header: the same for every attempt, so receivers can drop repeats. */
  id: string;
  type: T;
  accountId: string | null;
  occurredAt: Date;
}

export interface OutboxMessageOf<T extends WebhookEventType> extends Envelope<T> {
  data: WebhookData<T>;
}

/** One per type, told apart by `type`: the data must be the shape that type's schema describes. */
export type OutboxMessage = { [T in WebhookEventType]: OutboxMessageOf<T> }[WebhookEventType];

/** Whom a message is about and when, and where its id comes from. */
export interface MessageContext {
  accountId: string;
  occurredAt: Date;
  newId: NewId;
}

/** A message of `type`, with a new id. */
export function webhookMessage<T extends WebhookEventType>(
  type: T,
  at: MessageContext,
  data: NoInfer<WebhookData<T>>,
): OutboxMessageOf<T> {
  return { id: at.newId('msg'), type, accountId: at.accountId, occurredAt: at.occurredAt, data };
}

/**
 * The body sent to subscribers, as the Standard Webhooks specification recommends. Its data is
 * typed loosely: the dispatcher sends what it read back from the outbox, checked when written.
 */
export function webhookBody(message: Envelope<WebhookEventType> & { data: unknown }): string {
  return JSON.stringify({ type: message.type, timestamp: message.occurredAt.toISOString(), data: message.data });
}
