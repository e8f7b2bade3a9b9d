// The creditmeter server process: reads the environment, opens the store, serves HTTP.
import cluster from 'node:cluster';
import pino from 'pino';
import { CatalogError, loadCatalog } from './catalog/loadCatalog';
import { ConfigError, readConfig } from './config';
import { openStore, startServer } from './server';
import { DataFolderUnavailable } from './store/dataFolderLock';
import { API_KEY_FILE, generatedApiKey } from './store/generatedApiKey';
import { type Listening, runServerProcesses } from './lifecycle/ServerProcesses';

/** After the requests' deadline, what the store and the timers get to finish before a hard exit. */
const HARD_EXIT_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const log = pino({ level: config.LOG_LEVEL });
  const catalog = loadCatalog(config.CREDITMETER_CATALOG);
  const store = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.CREDITMETER_DATA_DIR}`;
  const banner = (url: string, apiKey: string, keyOrigin: string, catalogVersion: number) =>
    process.stdout.write(
      `creditmeter is listening on ${url}${config.CREDITMETER_PROCESSES > 1 ? ` (${config.CREDITMETER_PROCESSES} processes)` : ''}\n` +
        `  catalog: ${catalog.name} (version ${catalogVersion})   store: ${store}\n` +
        `  API key: ${apiKey}${keyOrigin}\n` +
        `  try:     curl -H "Authorization: Bearer ${apiKey}" ${url}/v1/accounts\n` +
        `  dashboard: ${url}/dashboard (open it with a link from POST /v1/accounts/:id/dashboard-links)\n`,
    );
  if (config.CREDITMETER_PROCESSES > 1 && cluster.isPrimary) {
    // The catalog and the configuration were checked above, so a mistake stops the start once, here;
    // the key is chosen once, so that every process takes the same.
    const generated = config.CREDITMETER_API_KEY ? undefined : generatedApiKey(config.CREDITMETER_DATA_DIR);
    const apiKey = config.CREDITMETER_API_KEY ?? generated!.key;
    runServerProcesses({
      processes: config.CREDITMETER_PROCESSES,
      env: { CREDITMETER_API_KEY: apiKey },
      log,
      shutdownSeconds: config.CREDITMETER_SHUTDOWN_SECONDS,
      banner: (url, catalogVersion) =>
        banner(url, apiKey, keyOrigin(config.CREDITMETER_API_KEY !== undefined, generated?.created, config.CREDITMETER_DATA_DIR), catalogVersion),
    });
    return;
  }
  const db = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.CREDITMETER_DATA_DIR });
  const generated = config.CREDITMETER_API_KEY ? undefined : generatedApiKey(config.CREDITMETER_DATA_DIR);
  const apiKey = config.CREDITMETER_API_KEY ?? generated!.key;
  const server = await startServer({
    db,
    catalog,
    apiKey,
    port: config.PORT,
    host: config.HOST,
    log,
    webhooks: { timeoutMs: config.CREDITMETER_WEBHOOK_TIMEOUT_MS, targets: config.CREDITMETER_WEBHOOK_TARGETS },
    trustProxy: config.CREDITMETER_TRUST_PROXY,
    linkSecret: config.CREDITMETER_LINK_SECRET,
    publicUrl: config.CREDITMETER_PUBLIC_URL,
    metricsToken: config.CREDITMETER_METRICS_TOKEN,
    rateLimit: config.CREDITMETER_RATE_LIMIT,
  });
  // The file is published as a version where it changed; new accounts subscribe on the latest.
  const { version } = await server.context.catalogs.latest();
  if (cluster.isWorker) process.send!({ listening: { url: server.url, catalogVersion: version } } satisfies Listening);
  else banner(server.url, server.apiKey, keyOrigin(config.CREDITMETER_API_KEY !== undefined, generated?.created, config.CREDITMETER_DATA_DIR), version);
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
