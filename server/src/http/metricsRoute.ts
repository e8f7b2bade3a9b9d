// GET /metrics: the Prometheus text of this process, for an admin key or CREDITMETER_METRICS_TOKEN.
// The gauges that live in the store (webhook deliveries waiting, rollup increments to fold) are
// read at the scrape, so a scrape always sees the store as it is.
import { hash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { outboxOldestAge, outboxPending, registry, rollupIncrementsPending, storeConnections, storeThreadHeap } from '../metrics/metrics';
import type { Database } from '../store/Database';
import { countRollupIncrementsWaiting } from '../store/rollups';
import { readDeliveryBacklog } from '../store/webhooks';
import type { Clock } from '../usecases/Context';
import { hasScope } from '../domain/access/ApiKey';
import type { ApiKeyRing } from '../usecases/ApiKeyRing';
import { bearer, refuse } from './auth';

const digest = (value: string) => hash('sha256', value, 'buffer');

export function metricsRoute(options: { db: Database; clock: Clock; keys: ApiKeyRing; metricsToken: string | undefined }): RequestHandler {
  const token = options.metricsToken === undefined ? undefined : digest(options.metricsToken);
  const admits = (given: string) => (token !== undefined && timingSafeEqual(digest(given), token)) || hasScope(options.keys.find(given) ?? { scopes: [] }, 'admin');
  return async (req, res) => {
    const given = bearer(req.get('authorization'));
    if (given === undefined || !admits(given)) return refuse(res, 'unauthorized', 'Send an admin API key or CREDITMETER_METRICS_TOKEN as "Authorization: Bearer <token>".');
    const outbox = await readDeliveryBacklog(options.db);
    outboxPending.set(outbox.pending);
    outboxOldestAge.set(outbox.oldest ? Math.max(0, (options.clock.now().getTime() - outbox.oldest.getTime()) / 1000) : 0);
    rollupIncrementsPending.set(await countRollupIncrementsWaiting(options.db));
    const pressure = options.db.pressure();
    storeConnections.set({ state: 'in_use' }, pressure.inUse);
    storeConnections.set({ state: 'waiting' }, pressure.waiting);
    const heap = await options.db.threadHeap();
    if (heap) {
      storeThreadHeap.set({ kind: 'used' }, heap.used);
      storeThreadHeap.set({ kind: 'limit' }, heap.limit);
    }
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  };
}
