// Throughput that grows with processes (issue 27): on PostgreSQL, batch and single-event ingestion
// over many accounts with CREDITMETER_PROCESSES=1 and 2 in the same run, and the ratio. On a 2-core
// machine PostgreSQL and the load generator share the cores with the servers, which bounds it.
import { createScratchDatabase } from '../store/scratchPostgres';
import { call, KEY, load, startServer } from './benchServer';
import { BATCH_EVENTS } from './mix';
import { figure } from './figures';

const ACCOUNTS = 200;
const SECONDS = Number(process.env['BENCH_SCALING_SECONDS'] ?? 10);

async function ingestionWith(processes: number, adminUrl: string): Promise<{ batch: number; single: number }> {
  const database = await createScratchDatabase(adminUrl, 'creditmeter_bench');
  const server = await startServer({ databaseUrl: database.url, env: { CREDITMETER_PROCESSES: String(processes) } });
  const { url } = server;
  try {
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `scale-${i}`);
    for (const id of accounts) await call(url, 'POST', '/v1/accounts', { id, name: id, plan: 'growth' });
    const spec = { url, apiKey: KEY, accounts, seconds: SECONDS };
    const batches = await load({ ...spec, connections: 8, only: 'batch' });
    const singles = await load({ ...spec, connections: 64, only: 'event' });
    return { batch: batches.requestsPerSecond * BATCH_EVENTS, single: singles.requestsPerSecond };
  } finally {
    await server.stop();
    await database.drop();
  }
}

export async function processScaling(adminUrl: string): Promise<void> {
  const one = await ingestionWith(1, adminUrl);
  const two = await ingestionWith(2, adminUrl);
  for (const [what, name] of [
    ['batch ingestion (events/s, batches of 100, 8 conns)', 'batch'],
    ['single events (events/s, 64 conns)', 'single'],
  ] as const) {
    const ratio = two[name] / one[name];
    figure(`postgres.processes.${name}.one`, one[name]);
    figure(`postgres.processes.${name}.two`, two[name]);
    figure(`postgres.processes.${name}.ratio`, ratio);
    console.log(
      `postgres  ${what} over ${ACCOUNTS} accounts: 1 process ${Math.round(one[name])}, 2 processes ${Math.round(two[name])} -> ratio ${ratio.toFixed(2)}`,
    );
  }
}
