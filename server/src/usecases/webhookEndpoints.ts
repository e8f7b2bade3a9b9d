// Webhook subscriptions: an endpoint gets its own signing secret, shown once at creation.
import { randomBytes } from 'node:crypto';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import type { WebhookTargetPolicy } from '../domain/webhooks/WebhookTarget';
import { refusedTarget } from '../webhooks/targetGuard';
import type { WebhookEventType } from '../domain/webhooks/WebhookEvent';
import { DELETED, disableEndpoint, type Endpoint, insertEndpoint, readEndpoint, retryDelivery } from '../store/webhooks';
import { writeAsIs } from './AccountWrite';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';
import { deliveryPending } from '../domain/refusals';

/** Standard Webhooks secrets: `whsec_` and 24 random bytes in base64 (192 bits). */
const SECRET_BYTES = 24;

export async function createEndpoint(
  context: Context,
  input: { url: string; events: WebhookEventType[]; description?: string | undefined },
  targets: WebhookTargetPolicy,
): Promise<{ endpoint: Endpoint; secret: string }> {
  const refused = await refusedTarget(input.url, targets);
  if (refused) throw new DomainFailure(validationFailed('url', `cannot receive webhooks: ${refused}`));
  const endpoint: Endpoint = {
    id: context.newId('whe'),
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description ?? null,
    createdAt: context.clock.now(),
    disabledAt: null,
    disabledReason: null,
  };
  const secret = `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
  madeByRequest(endpoint.id);
  await writeAsIs(context, { accounts: [], run: async ({ tx }) => ({ answer: await insertEndpoint(tx, endpoint, secret) }) });
  return { endpoint, secret };
}

export async function getEndpoint(context: Context, id: string): Promise<Endpoint> {
  const endpoint = await readEndpoint(context.db, id);
  if (!endpoint) throw new DomainFailure(notFound('webhook', id));
  return endpoint;
}

/** Removes a subscription: nothing more is sent to it, pending deliveries are given up. */
export async function deleteEndpoint(context: Context, id: string): Promise<void> {
  await writeAsIs(context, {
    accounts: [],
    run: async ({ tx, now }) => {
      if (!(await disableEndpoint(tx, { id, reason: DELETED, now }))) throw new DomainFailure(notFound('webhook', id));
      return { answer: undefined };
    },
  });
}

/** Sends a delivery that failed or was given up again, now; one still pending is scheduled already. */
export async function retryWebhookDelivery(context: Context, endpointId: string, deliveryId: string): Promise<void> {
  await writeAsIs(context, {
    accounts: [],
    run: async ({ tx, now }) => {
      const result = await retryDelivery(tx, { endpointId, deliveryId, now });
      if (result === 'missing') throw new DomainFailure(notFound('delivery', deliveryId));
      if (result === 'pending') {
        throw new DomainFailure(deliveryPending(deliveryId));
      }
      return { answer: undefined };
    },
  });
}
