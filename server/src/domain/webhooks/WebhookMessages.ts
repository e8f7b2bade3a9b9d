// The data of each webhook type as a zod schema: what the outbox accepts, what the OpenAPI document shows.
import type { z } from 'zod';
import { accountMessages } from './messages/accountMessages';
import { balanceMessages } from './messages/balanceMessages';
import { billingMessages } from './messages/billingMessages';
import { correctionMessages } from './messages/correctionMessages';
import { numberMessages } from './messages/numberMessages';
import { planMessages } from './messages/planMessages';
import { usageMessages } from './messages/usageMessages';
import type { WebhookEventType } from './WebhookEvent';

/** Complete and nothing more: the compiler refuses a webhook type without its schema, or a schema without its type. */
export const WEBHOOK_MESSAGES = {
  ...accountMessages,
  ...balanceMessages,
  ...planMessages,
  ...billingMessages,
  ...correctionMessages,
  ...numberMessages,
  ...usageMessages,
} satisfies Record<WebhookEventType, z.ZodType>;

/** The `data` of a webhook of type T, as sent. */
export type WebhookData<T extends WebhookEventType> = z.output<(typeof WEBHOOK_MESSAGES)[T]>;
