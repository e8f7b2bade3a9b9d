// What a Prometheus scrape of GET /metrics reads: the series the process counts as it works, and
// those read from the store at the scrape. One registry per process: servers started side by side
// in one process (tests) count into the same series, as their process is one target.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });
const registers = [registry];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from a request to its response, by route pattern, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const eventsTotal = new Counter({
  name: 'creditmeter_events_total',
  help: 'Usage events answered, by event type and outcome (accepted, duplicate, rejected)',
  labelNames: ['type', 'outcome'] as const,
  registers,
});

export const groupCommitEvents = new Histogram({
  name: 'creditmeter_group_commit_events',
  help: 'Usage events written per group commit (one transaction for requests that arrived together)',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
  registers,
});

export const webhookDeliveries = new Counter({
  name: 'creditmeter_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome (succeeded, retrying, failed: no attempt left)',
  labelNames: ['outcome'] as const,
  registers,
});

export const outboxPending = new Gauge({ name: 'creditmeter_outbox_pending', help: 'Webhook deliveries not yet succeeded or given up', registers });

export const outboxOldestAge = new Gauge({
  name: 'creditmeter_outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest webhook delivery still pending; 0 when none is',
  registers,
});

export const cycleClosings = new Counter({
  name: 'creditmeter_cycle_closings_total',
  help: 'Accounts whose ended cycles a closing pass closed, or failed to close',
  labelNames: ['outcome'] as const,
  registers,
});

export const rollupIncrementsPending = new Gauge({
  name: 'creditmeter_rollup_increments_pending',
  help: 'Rollup increments written by ingestion and not yet folded into the report tables',
  registers,
});

export const rollupLastFold = new Gauge({
  name: 'creditmeter_rollup_last_fold_timestamp_seconds',
  help: 'When the rollup folder last finished a pass (Unix time); its lag is now minus this',
  registers,
});

export const storeThreadHeap = new Gauge({
  name: 'creditmeter_store_thread_heap_bytes',
  help: "JavaScript heap of the embedded store's thread (PGlite), used and its limit; absent on PostgreSQL",
  labelNames: ['kind'] as const,
  registers,
});

export const storeConnections = new Gauge({
  name: 'creditmeter_store_transactions',
  help: 'Store connections or transactions in use, and requests waiting for one',
  labelNames: ['state'] as const,
  registers,
});
