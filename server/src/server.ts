// Starts creditmeter: config, store, migrations, catalog, HTTP. Also used by tests to run a real
// server in-process on any store with a controlled clock.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { Catalog } from './domain/catalog/Catalog';
import { createApp } from './http/app';
import type { Database } from './store/Database';
import { migrate } from './store/migrate';
import { openPglite } from './store/pglite';
import { openPostgres } from './store/postgres';
import { type Clock, type Context, systemClock, ulidIds } from './usecases/Context';
import { RechargeDeadlines } from './schedule/RechargeDeadlines';
import { CycleCloser } from './schedule/CycleCloser';
import { RollupFolder } from './schedule/RollupFolder';
import { TableUpkeep } from './schedule/TableUpkeep';
import { Dispatcher, type DispatcherOptions } from './webhooks/Dispatcher';
import { AccountSnapshots } from './usecases/AccountSnapshots';
import { AccountChangeFeed } from './usecases/AccountChangeFeed';
import { linkSecretFromApiKey } from './domain/access/DashboardLink';
import { UsageRecorder } from './usecases/recordUsage';
import { Lifecycle } from './lifecycle/Lifecycle';
import { ApiKeyRing } from './usecases/ApiKeyRing';
import type { RateLimit } from './http/rateLimit';
import { auditedDatabase } from './store/auditedDatabase';
import { AuditAppender } from './audit/AuditAppender';
import { CatalogVersions } from './usecases/CatalogVersions';
import { publishStartupCatalog } from './usecases/publishCatalog';

/** How long requests still running may take to finish when the server stops. */
const DEFAULT_SHUTDOWN_MS = 25_000;
const CLOSE_IDLE_EVERY_MS = 100;

export interface RunningServer {
  url: string;
  apiKey: string;
  context: Context;
  dispatcher: Dispatcher;
  deadlines: RechargeDeadlines;
  cycles: CycleCloser;
  rollups: RollupFolder;
  lifecycle: Lifecycle;
  /** The audit rows written after answers; flush() waits for those appended so far. */
  audit: AuditAppender;
  /**
   * Stops: refuses new requests, lets those running finish (their group commits included), waits
   * for the webhook attempts in flight and the cycle closing under way. Connections still busy
   * after `deadlineMs` are cut.
   */
  close(deadlineMs?: number): Promise<void>;
}

export async function openStore(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<Database> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  await migrate(db);
  return db;
}

export async function startServer(options: {
  db: Database;
  catalog: Catalog;
  apiKey?: string | undefined;
  port?: number;
  host?: string;
  clock?: Clock;
  log?: Logger;
  webhooks?: Pick<DispatcherOptions, 'timeoutMs' | 'pollMs' | 'random' | 'targets'>;
  /** Express's trust proxy setting (CREDITMETER_TRUST_PROXY); X-Forwarded-* are ignored without it. */
  trustProxy?: string | undefined;
  /** Signs dashboard links; derived from the API key when not given. */
  linkSecret?: string | undefined;
  /** Where customers reach the server, for dashboard links; the request's own host when not given. */
  publicUrl?: string | undefined;
  /** A bearer token that reads /metrics only (CREDITMETER_METRICS_TOKEN). */
  metricsToken?: string | undefined;
  /** Requests per second and burst per key (CREDITMETER_RATE_LIMIT); no limit when unset. */
  rateLimit?: RateLimit | undefined;
  /** How often ended cycles are looked for; 0 leaves closing to the on-demand route. */
  cycleCheckMs?: number;
  /** How often rollup increments are folded into the report tables; 0 folds only when asked. */
  rollupFoldMs?: number;
  /** How often an embedded store's tables are checked for vacuuming and analyzing; 0 never. */
  upkeepMs?: number;
}): Promise<RunningServer> {
  const log = options.log ?? pino({ level: 'silent' });
  const clock = options.clock ?? systemClock;
  // The file's catalog becomes the latest version where it differs from it; accounts keep theirs.
  await publishStartupCatalog({ db: options.db, clock, log, catalog: options.catalog });
  const base = { db: options.db, catalogs: new CatalogVersions(options.db), clock, newId: ulidIds() };
  const snapshots = new AccountSnapshots(base);
  await snapshots.start(options.db);
  // Use cases write through a store that adds each request's audit row to the transaction of its change.
  const context: Context = { ...base, db: auditedDatabase(options.db, base.newId, base.clock), snapshots };
  const audit = new AuditAppender(options.db, log);
  const apiKey = options.apiKey ?? `cm_${randomBytes(24).toString('base64url')}`;
  const dispatcher = new Dispatcher({ db: options.db, clock: context.clock, log, ...options.webhooks });
  await dispatcher.start();
  const deadlines = new RechargeDeadlines(context, log);
  deadlines.start();
  const cycles = new CycleCloser(context, log, options.cycleCheckMs);
  // Cycles that ended while no server ran close at once.
  cycles.start(true);
  const rollups = new RollupFolder(options.db, log, options.rollupFoldMs);
  rollups.start();
  // PostgreSQL's autovacuum keeps a server's tables; embedded PGlite has none, so this process does.
  const upkeep = options.db.kind === 'pglite' ? new TableUpkeep(options.db, log, options.upkeepMs) : undefined;
  upkeep?.start();
  const feed = new AccountChangeFeed();
  await feed.start(options.db);
  const linkSecret = options.linkSecret ? Buffer.from(options.linkSecret) : linkSecretFromApiKey(apiKey);
  const lifecycle = new Lifecycle(options.db);
  const keys = new ApiKeyRing(options.db, apiKey, log);
  await keys.start();
  const app = createApp({
    context,
    recorder: new UsageRecorder(context),
    keys,
    log,
    wakeDispatcher: () => void dispatcher.wake(),
    webhookTargets: options.webhooks?.targets ?? 'private',
    trustProxy: options.trustProxy,
    dashboard: { linkSecret, feed, publicUrl: options.publicUrl },
    lifecycle,
    metricsToken: options.metricsToken,
    rateLimit: options.rateLimit,
    audit,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    apiKey,
    context,
    dispatcher,
    deadlines,
    cycles,
    rollups,
    lifecycle,
    audit,
    close: async (deadlineMs = DEFAULT_SHUTDOWN_MS) => {
      lifecycle.beginShutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections close now, busy ones as soon as their response is out (a client
      // that keeps sending on them is refused meanwhile), all of them at the deadline.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
      const cut = setTimeout(() => server.closeAllConnections(), deadlineMs);
      cut.unref();
      // Open dashboard streams would hold the server open: the feed ends them.
      await feed.close();
      await closed;
      clearInterval(idle);
      await audit.flush();
      await deadlines.close();
      await cycles.close();
      await rollups.close();
      await upkeep?.close();
      await dispatcher.close();
      await snapshots.close();
      await keys.close();
      clearTimeout(cut);
    },
  };
}
