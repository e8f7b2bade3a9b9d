// Webhook subscriptions, their delivery log and retries by hand.
import { Router } from 'express';
import { DomainFailure, notFound } from '../domain/errors';
import { deliveryPending } from '../domain/refusals';
import { listDeliveries, listEndpoints, retryDelivery } from '../store/webhooks';
import type { Context } from '../usecases/Context';
import type { WebhookTargetPolicy } from '../domain/webhooks/WebhookTarget';
import { createEndpoint, deleteEndpoint, getEndpoint } from '../usecases/webhookEndpoints';
import { createWebhookBody, deliveriesQuery } from './schemas';
import { endpointView } from './views';

export function webhookRoutes(context: Context, wakeDispatcher: () => void, targets: WebhookTargetPolicy): Router {
  const router = Router();

  router.post('/webhooks', async (req, res) => {
    const body = createWebhookBody.parse(req.body);
    res.status(201);
    const { endpoint, secret } = await createEndpoint(context, body, targets);
    res.json({ ...endpointView(endpoint), secret });
  });

  router.get('/webhooks', async (_req, res) => {
    res.json({ webhooks: (await listEndpoints(context.db)).map(endpointView) });
  });

  router.get('/webhooks/:id', async (req, res) => {
    res.json(endpointView(await getEndpoint(context, req.params.id)));
  });

  router.delete('/webhooks/:id', async (req, res) => {
    res.status(204);
    await deleteEndpoint(context, req.params.id);
    res.end();
  });

  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const { limit } = deliveriesQuery.parse(req.query);
    await getEndpoint(context, req.params.id);
    res.json({ deliveries: await listDeliveries(context.db, req.params.id, limit) });
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/retry', async (req, res) => {
    res.status(202);
    await context.db.transaction(async (tx) => {
      const result = await retryDelivery(tx, req.params.id, req.params.deliveryId, context.clock.now());
      if (result === 'missing') throw new DomainFailure(notFound('delivery', req.params.deliveryId));
      if (result === 'pending') {
        throw new DomainFailure(deliveryPending(req.params.deliveryId));
      }
    });
    wakeDispatcher();
    res.json({ id: req.params.deliveryId, status: 'pending' });
  });

  return router;
}
