// The creditmeter server process: reads the environment, opens the store, serves HTTP.
import pino from 'pino';
import { CatalogError, loadCatalog } from './catalog/loadCatalog';
import { ConfigError, readConfig } from './config';
import { openStore, startServer } from './server';
import { DataFolderUnavailable } from './store/dataFolderLock';
import { API_KEY_FILE, generatedApiKey } from './store/generatedApiKey';

/** After the requests' deadline, what the store and the timers get to finish before a hard exit. */
const HARD_EXIT_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const log = pino({ level: config.LOG_LEVEL });
  const catalog = loadCatalog(config.CREDITMETER_CATALOG);
  const db = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.CREDITMETER_DATA_DIR });
  const generated = config.CREDITMETER_API_KEY ? undefined : generatedApiKey(config.CREDITMETER_DATA_DIR);
  const apiKey = config.CREDITMETER_API_KEY ?? generated!.key;
  const server = await startServer({ db, catalog, apiKey, port: config.PORT, host: config.HOST, log,
    webhooks: { timeoutMs: config.CREDITMETER_WEBHOOK_TIMEOUT_MS, targets: config.CREDITMETER_WEBHOOK_TARGETS },
    trustProxy: config.CREDITMETER_TRUST_PROXY,
    linkSecret: config.CREDITMETER_LINK_SECRET,
    publicUrl: config.CREDITMETER_PUBLIC_URL,
    metricsToken: config.CREDITMETER_METRICS_TOKEN,
    rateLimit: config.CREDITMETER_RATE_LIMIT,
  });
  const store = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.CREDITMETER_DATA_DIR}`;
  // The file is published as a version where it changed; new accounts subscribe on the latest.
  const latest = await server.context.catalogs.latest();
  process.stdout.write(
    `creditmeter is listening on ${server.url}\n` +
      `  catalog: ${catalog.name} (version ${latest.version})   store: ${store}\n` +
      `  API key: ${server.apiKey}${keyOrigin(config.CREDITMETER_API_KEY !== undefined, generated?.created, config.CREDITMETER_DATA_DIR)}\n` +
      `  try:     curl -H "Authorization: Bearer ${server.apiKey}" ${server.url}/v1/accounts\n` +
      `  dashboard: ${server.url}/dashboard (open it with a link from POST /v1/accounts/:id/dashboard-links)\n`,
  );
  // Stops gracefully: requests running finish, group commits are written, webhook attempts in
  // flight and a cycle closing under way end; past the deadline the process exits anyway.
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    const deadline = config.CREDITMETER_SHUTDOWN_SECONDS * 1000;
    const hard = setTimeout(() => {
      log.error('shutdown took longer than CREDITMETER_SHUTDOWN_SECONDS; exiting');
      process.exit(1);
    }, deadline + HARD_EXIT_GRACE_MS);
    hard.unref();
    await server.close(deadline);
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function keyOrigin(fromEnvironment: boolean, created: boolean | undefined, dataDir: string): string {
  if (fromEnvironment) return ' (from CREDITMETER_API_KEY)';
  return created ? ` (generated and kept in ${dataDir}/${API_KEY_FILE}; set CREDITMETER_API_KEY to choose one)` : ` (kept in ${dataDir}/${API_KEY_FILE})`;
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof CatalogError || error instanceof DataFolderUnavailable;
  process.stderr.write(`creditmeter: ${known ? (error as Error).message : (error as Error).stack}\n`);
  process.exit(1);
});
