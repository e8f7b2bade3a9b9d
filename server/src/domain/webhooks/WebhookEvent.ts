// The events creditmeter reports to webhook subscribers, and the message the outbox holds for each.
export const WEBHOOK_EVENT_TYPES = [
  'usage.threshold_reached',
  'balance.low',
  'balance.depleted',
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
  'invoice.payment_failed',
  'number.rented',
  'number.released',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface OutboxMessage {
  /** Also the `webhook-id` header: the same for every attempt, so receivers can drop repeats. */
  id: string;
  type: WebhookEventType;
  accountId: string | null;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** The body sent to subscribers, as the Standard Webhooks specification recommends. */
export function webhookBody(message: OutboxMessage): string {
  return JSON.stringify({ type: message.type, timestamp: message.occurredAt.toISOString(), data: message.data });
}
