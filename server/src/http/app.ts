// The Express application: JSON parsing, authentication, routes and the one error mapping.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Context } from '../usecases/Context';
import type { UsageRecorder } from '../usecases/recordUsage';
import { accountRoutes } from './accountRoutes';
import { requireApiKey } from './auth';
import { errorHandler, plainErrorBody } from './errorResponse';
import { alertRuleRoutes } from './alertRuleRoutes';
import { autoRechargeRoutes } from './autoRechargeRoutes';
import { spendLimitRoutes } from './spendLimitRoutes';
import { accountPriceRoutes } from './accountPriceRoutes';
import { eventRoutes } from './eventRoutes';
import { reportRoutes } from './reportRoutes';
import { phoneNumberRoutes } from './phoneNumberRoutes';
import { cycleRoutes } from './cycleRoutes';
import { topUpRequestRoutes } from './topUpRequestRoutes';
import { invoiceRoutes } from './invoiceRoutes';
import { creditNoteRoutes } from './creditNoteRoutes';
import { planRoutes } from './planRoutes';
import { catalogRoutes } from './catalogRoutes';
import { dashboardLinkRoutes, dashboardRoutes } from './dashboardRoutes';
import type { AccountChangeFeed } from '../usecases/AccountChangeFeed';
import { reservationRoutes } from './reservationRoutes';
import { webhookRoutes } from './webhookRoutes';
import { openApiDocument } from './openapi';
import type { WebhookTargetPolicy } from '../domain/webhooks/WebhookTarget';
import { refuseUnstorableText } from './storableText';
import { requestOrigin, trustProxySetting } from './requestOrigin';
import type { Lifecycle } from '../lifecycle/Lifecycle';
import { requestLog } from './requestLog';
import { requireScope } from './scopes';
import { eventTypeRoutes } from './eventTypeRoutes';
import { apiKeyRoutes } from './apiKeyRoutes';
import type { ApiKeyRing } from '../usecases/ApiKeyRing';
import { type RateLimit, rateLimited } from './rateLimit';
import { metricsRoute } from './metricsRoute';
import { auditTrail } from './auditTrail';
import type { AuditAppender } from '../audit/AuditAppender';
import { auditLogRoutes } from './auditLogRoutes';

/** Largest request body: a full batch of 1,000 events with long SMS texts fits. */
const MAX_BODY = '8mb';

export function createApp(options: {
  context: Context;
  recorder: UsageRecorder;
  keys: ApiKeyRing;
  log: Logger;
  wakeDispatcher: () => void;
  webhookTargets: WebhookTargetPolicy;
  /** Express's `trust proxy`: which proxies' X-Forwarded-* headers to believe; none when unset. */
  trustProxy?: string | undefined;
  dashboard: { linkSecret: Buffer; feed: AccountChangeFeed; publicUrl: string | undefined };
  lifecycle: Lifecycle;
  /** A token that reads /metrics only (CREDITMETER_METRICS_TOKEN); admin keys read it too. */
  metricsToken?: string | undefined;
  /** Requests per second and burst per key (CREDITMETER_RATE_LIMIT); none when unset. */
  rateLimit?: RateLimit | undefined;
  /** Writes the audit rows of requests that changed nothing. */
  audit: AuditAppender;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.trustProxy) app.set('trust proxy', trustProxySetting(options.trustProxy));
  app.use(requestLog(options.log));
  // Bodies are read once the caller is known and within its rate: a flood refused 429 costs no parsing.
  // The usage event schema checks each event of a batch itself, so that one bad event fails alone.
  const readBody = [express.json({ limit: MAX_BODY, type: () => true }), refuseUnstorableText({ itemsCheckedByRoute: ['/events/batch'] })];
  // Liveness: the process answers. Readiness: it takes requests (its store answers, it is not stopping).
  app.get('/v1/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/v1/ready', async (_req, res) => {
    const readiness = await options.lifecycle.readiness();
    res.status(readiness.ready ? 200 : 503).json(readiness.ready ? { status: 'ready' } : { status: readiness.reason });
  });
  // A request that arrives while the process stops is refused whole (its client retries elsewhere);
  // those already running finish, and their connections close after them.
  app.use((_req, res, next) => {
    if (!options.lifecycle.shuttingDown) return next();
    res.set('Connection', 'close');
    res.status(503).set('Retry-After', '1').json(plainErrorBody('shutting_down', 'The server is shutting down; send the request again.'));
  });
  app.get('/metrics', metricsRoute({ db: options.context.db, clock: options.context.clock, keys: options.keys, metricsToken: options.metricsToken }));
  app.get('/v1/openapi.json', async (req, res) => {
    res.json(openApiDocument(requestOrigin(req), await options.context.catalogs.latestCatalog()));
  });
  // One bucket per caller, whether it calls the API or the dashboard's.
  const limiter = rateLimited(options.rateLimit);
  const api = express.Router();
  // A request refused for its rate writes nothing, not even its audit row; one refused for its scope is audited.
  api.use(requireApiKey(options.keys), limiter, readBody, auditTrail({ appender: options.audit, newId: options.context.newId, clock: options.context.clock }), requireScope());
  // Every router a request passes costs it a little: the routes assistants call on every turn of
  // every conversation (usage events, authorize) come first, the dashboard's after the API.
  api.use(eventRoutes(options.context, options.recorder));
  api.use(accountRoutes(options.context));
  api.use(webhookRoutes(options.context, options.wakeDispatcher, options.webhookTargets));
  api.use(alertRuleRoutes(options.context));
  api.use(autoRechargeRoutes(options.context));
  api.use(spendLimitRoutes(options.context));
  api.use(accountPriceRoutes(options.context));
  api.use(reservationRoutes(options.context));
  api.use(reportRoutes(options.context));
  api.use(phoneNumberRoutes(options.context));
  api.use(cycleRoutes(options.context));
  api.use(invoiceRoutes(options.context));
  api.use(creditNoteRoutes(options.context));
  api.use(topUpRequestRoutes(options.context));
  api.use(planRoutes(options.context));
  api.use(eventTypeRoutes(options.context));
  api.use(catalogRoutes(options.context));
  api.use(apiKeyRoutes(options.context, options.keys));
  api.use(auditLogRoutes(options.context));
  api.use(dashboardLinkRoutes({ context: options.context, ...options.dashboard }));
  app.use('/v1', api);
  app.use(readBody, dashboardRoutes({ context: options.context, keys: options.keys, limiter, ...options.dashboard }));
  app.use((_req, res) => {
    res.status(404).json(plainErrorBody('not_found', 'No such route.'));
  });
  app.use(errorHandler(options.log));
  return app;
}
