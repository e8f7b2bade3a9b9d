// The webhooks section of the OpenAPI document, from the schemas the outbox's messages are typed by.
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks/WebhookEvent';
import { WEBHOOK_MESSAGES } from '../domain/webhooks/WebhookMessages';

/**
 * A message's data as JSON Schema. An instant's format says what it is; the long pattern zod
 * writes beside it for its own check says nothing more to a reader, so it is left out.
 */
export function webhookDataSchema(type: keyof typeof WEBHOOK_MESSAGES) {
  return z.toJSONSchema(WEBHOOK_MESSAGES[type], {
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
}

/** Every request body is { type, timestamp, data }, signed per Standard Webhooks. */
export function webhookDocuments() {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => {
      const envelope = {
        type: 'object',
        required: ['type', 'timestamp', 'data'],
        properties: {
          type: { const: type },
          timestamp: { type: 'string', format: 'date-time' },
          data: webhookDataSchema(type),
        },
      };
      return [
        type,
        {
          post: {
            summary: type,
            description: 'Signed per Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256 with the whsec_ secret).',
            requestBody: { required: true, content: { 'application/json': { schema: envelope } } },
            responses: { '2XX': { description: 'Received. 410 disables the subscription; anything else is retried.' } },
          },
        },
      ];
    }),
  );
}
