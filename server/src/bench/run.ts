// `npm run bench`: measures, on PGlite and on PostgreSQL, each figure against a reference taken in
// the same run on the same machine, and prints the ratio. Not a test: it asserts nothing.
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadCatalog } from '../catalog/loadCatalog';
import { alertLatency } from './alertLatency';
import { benchJson, figure } from './figures';
import type { LoadOutput } from './load';
import { mixedScenario } from './mixedScenario';
import { processScaling } from './processScaling';
import { reportSpeedOn } from './reportSpeed';
import { rateLimitFairness } from './rateLimitFairness';
import type { Database } from '../store/Database';
import { sqlClock } from '../store/sqlClock';
import { type BareEventRow, createBareEventsTable, insertBareEvents } from '../store/benchReference';
import type { UsageEvent } from '../domain/event/UsageEvent';
import type { EventOutcome } from '../domain/ingestion/planIngestion';
import { money } from '../domain/money';
import { startServer } from '../server';
import { openBenchStore } from './benchStore';
import { createScratchDatabase } from '../store/scratchPostgres';
import { openAccount } from '../usecases/openAccount';
import { UsageRecorder } from '../usecases/recordUsage';
import { topUp } from '../usecases/topUp';

const run = promisify(execFile);
const ACCOUNTS = 1000;
const BATCHES = 100;
const BATCH_SIZE = 1000;
const LOAD_SECONDS = Number(process.env['BENCH_LOAD_SECONDS'] ?? 8);
const ADMIN_URL = process.env['CREDITMETER_TEST_POSTGRES'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

function mixedEvent(batch: number, index: number): UsageEvent {
  const account = `bench-${(batch * BATCH_SIZE + index) % ACCOUNTS}`;
  const id = `b${batch}-${index}`;
  const timestamp = new Date().toISOString();
  switch (index % 4) {
    case 0:
      return { id, account, type: 'chat', timestamp, data: { input_tokens: 1200, output_tokens: 350, tool_calls: 1 } };
    case 1:
      return { id, account, type: 'call', timestamp, data: { duration_seconds: 61, input_tokens: 800, output_tokens: 500, answered: true } };
    case 2:
      return {
        id,
        account,
        type: 'sms',
        timestamp,
        data: { direction: 'outbound', text: 'Ihr Termin am Montag um 10:00 ist bestätigt. Antworten Sie STOP zum Abmelden.' },
      };
    default:
      return { id, account, type: 'whatsapp', timestamp, data: { direction: 'inbound', contact: `+49151${index}`, output_tokens: 200 } };
  }
}

function bareRow(outcome: EventOutcome): BareEventRow {
  if (outcome.status !== 'accepted') throw new Error(`bench event not accepted: ${JSON.stringify(outcome)}`);
  const { event } = outcome;
  return {
    account: event.accountId,
    id: event.id,
    type: event.type,
    data: JSON.stringify(event.data),
    cost: event.cost,
    charges: JSON.stringify(event.charges),
  };
}

interface LoadResult extends LoadOutput {
  /**
   * This process's CPU per request answered while the load ran (the load generator is a process of
   * its own, so this is the server's): steadier than throughput on a machine whose speed moves.
   */
  cpuMicrosPerRequest: number;
}

const cpuMicros = (result: LoadResult) => `${Math.round(result.cpuMicrosPerRequest)} µs`;

async function load(spec: object): Promise<LoadResult> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(process.execPath, [join(__dirname, 'load.js'), JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  const { user, system } = process.cpuUsage(cpu);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as LoadOutput;
  return { ...result, cpuMicrosPerRequest: (user + system) / Math.max(1, result.total) };
}

/**
 * Batch ingestion against a bare multi-row INSERT of the same rows. A function of its own, so that
 * the events and reference rows it holds are let go before the figures after it are taken.
 */
async function batchIngestion(
  kind: 'pglite' | 'postgres',
  db: Database,
  server: Awaited<ReturnType<typeof startServer>>,
  clock: ReturnType<typeof sqlClock>,
): Promise<void> {
  const recorder = new UsageRecorder(server.context);
  clock.reset();
  const cpu = process.cpuUsage();
  let started = performance.now();
  // Each batch is made when it is sent, and the reference's rows (the same events as stored,
  // charges and all) are kept as the bare INSERT takes them, while outcomes are let go batch by
  // batch, as a server would. Making both runs in this thread while nothing else does: its time is
  // taken out of both timings.
  const stored: BareEventRow[] = [];
  let asideMs = 0;
  for (let b = 0; b < BATCHES; b += 1) {
    let aside = performance.now();
    const batch = Array.from({ length: BATCH_SIZE }, (_, i) => mixedEvent(b, i));
    asideMs += performance.now() - aside;
    const outcomes = await recorder.record(batch);
    aside = performance.now();
    stored.push(...outcomes.map(bareRow));
    asideMs += performance.now() - aside;
  }
  // The rollup increments still waiting are part of the work: folded inside the timing.
  await server.rollups.checkAfresh();
  const ingestSeconds = (performance.now() - started - asideMs) / 1000;
  const sqlSeconds = clock.busyMs() / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const cpuSeconds = (user + system) / 1e6 - asideMs / 1000;
  await createBareEventsTable(db);
  started = performance.now();
  for (let b = 0; b < BATCHES; b += 1) {
    await insertBareEvents(db, stored.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE));
  }
  const bareSeconds = (performance.now() - started) / 1000;
  const events = BATCHES * BATCH_SIZE;
  const ingestRate = events / ingestSeconds;
  const bareRate = events / bareSeconds;
  report({
    store: kind,
    what: 'batch ingestion (events/s, rated and committed)',
    name: 'batchEventsPerSecond',
    value: ingestRate,
    reference: 'bare multi-row INSERT',
    referenceValue: bareRate,
    target: '>= 0.5',
  });
  const perBatch = (seconds: number) => `${Math.round((seconds * 1000) / BATCHES)} ms`;
  console.log(
    `${kind.padEnd(9)} batch ingestion per 1,000 events: ${perBatch(ingestSeconds)}, with SQL under way ${perBatch(sqlSeconds)} ` +
      `(${kind === 'pglite' ? "in PGlite's thread" : 'in PostgreSQL'}), this process's CPU ${perBatch(cpuSeconds)}; the bare INSERT ${perBatch(bareSeconds)}`,
  );
}

async function benchStore(kind: 'pglite' | 'postgres', floor: LoadResult): Promise<void> {
  const expressPost = floor.requestsPerSecond;
  const postgres = kind === 'postgres' ? await createScratchDatabase(ADMIN_URL, 'creditmeter_bench') : undefined;
  const store = await openBenchStore(postgres?.url);
  const db = store.db;
  const catalog = loadCatalog('credits');
  // Times the server's statements, so that the batch figure can say what share the SQL took.
  const clock = sqlClock(db);
  const server = await startServer({ db: clock.db, catalog });
  const context = server.context;
  try {
    for (let i = 0; i < ACCOUNTS; i += 1) {
      await openAccount(context, { id: `bench-${i}`, name: `Bench ${i}`, plan: 'growth', interval: 'month' });
    }
    await topUp(context, { accountId: 'bench-0', amount: money('1000000000'), reference: 'bench' });

    // 1. Batch ingestion against a bare multi-row INSERT of the same rows.
    await batchIngestion(kind, db, server, clock);

    // 2. Single events on one hot account at 64 connections against a bare GET.
    const base = { url: server.url, apiKey: server.apiKey, connections: 64, seconds: LOAD_SECONDS };
    const bare = await load({ ...base, method: 'GET', path: '/v1/health' });
    const hot = await load({
      ...base,
      method: 'POST',
      path: '/v1/events',
      body: JSON.stringify({
        id: 'hot-{{n}}',
        account: 'bench-0',
        type: 'chat',
        timestamp: new Date().toISOString(),
        data: { input_tokens: 1000, output_tokens: 100 },
      }),
    });
    if (hot.non2xx > 0 || hot.errors > 0) throw new Error(`hot-account run had ${hot.non2xx} non-2xx and ${hot.errors} errors`);
    report({
      store: kind,
      what: 'POST /v1/events, one hot account, 64 conns (req/s)',
      name: 'hotAccountPerSecond',
      value: hot.requestsPerSecond,
      reference: 'GET /v1/health',
      referenceValue: bare.requestsPerSecond,
      target: '>= 0.5',
    });

    // The fairer absolute target: one hot account against what Express alone answers to a JSON POST.
    figure(`${kind}.hotAccountToExpressRatio`, hot.requestsPerSecond / expressPost);
    figure(`${kind}.hotAccount.cpuMicrosPerRequest`, hot.cpuMicrosPerRequest);
    // The same ratio by CPU per request, which moves less with the machine than requests a second do.
    const cpuRatio = floor.cpuMicrosPerRequest / hot.cpuMicrosPerRequest;
    figure(`${kind}.hotAccountToExpressCpuRatio`, cpuRatio);
    console.log(
      `${kind.padEnd(9)} one hot account vs Express's constant JSON POST: ${Math.round(hot.requestsPerSecond)} vs ${Math.round(expressPost)} req/s -> ratio ${(hot.requestsPerSecond / expressPost).toFixed(2)} (target >= 0.3); ` +
        `this process's CPU per request ${cpuMicros(hot)} against ${cpuMicros(floor)} (ratio ${cpuRatio.toFixed(2)})`,
    );

    // 3. Authorize latency at 64 connections.
    const auth = await load({
      ...base,
      method: 'POST',
      path: '/v1/accounts/bench-1/authorize',
      body: JSON.stringify({ type: 'call', data: { duration_seconds: 60 } }),
    });
    figure(`${kind}.authorize.p50Ms`, auth.latencyMsP50);
    figure(`${kind}.authorize.p99Ms`, auth.latencyMsP99);
    figure(`${kind}.authorize.perSecond`, auth.requestsPerSecond);
    figure(`${kind}.authorize.cpuMicrosPerRequest`, auth.cpuMicrosPerRequest);
    console.log(
      `${kind.padEnd(9)} authorize at 64 conns (closed loop, saturated): p50 ${auth.latencyMsP50} ms, p99 ${auth.latencyMsP99} ms, ${Math.round(auth.requestsPerSecond)} req/s, ` +
        `this process's CPU per request ${cpuMicros(auth)} (Express's constant POST ${cpuMicros(floor)})`,
    );

    // Open loop at half the rate authorize saturates at: the latency a caller meets when the server is
    // busy but not overrun (a closed loop at saturation measures its queue).
    const halfRate = Math.max(1, Math.round(auth.requestsPerSecond / 2));
    const open = await load({
      ...base,
      rate: halfRate,
      method: 'POST',
      path: '/v1/accounts/bench-1/authorize',
      body: JSON.stringify({ type: 'call', data: { duration_seconds: 60 } }),
    });
    figure(`${kind}.authorize.openLoopHalfRate.p99Ms`, open.latencyMsP99);
    console.log(
      `${kind.padEnd(9)} authorize open loop at ${halfRate} req/s (half its saturation): p50 ${open.latencyMsP50} ms, p99 ${open.latencyMsP99} ms (target p99 <= 5 ms)`,
    );

    // 4. Threshold crossing to webhook.
    const alert = await alertLatency(server);
    figure(`${kind}.alertToWebhook.p95Ms`, alert.p95);
    console.log(
      `${kind.padEnd(9)} threshold crossing to webhook received: p50 ${alert.p50.toFixed(1)} ms, p95 ${alert.p95.toFixed(1)} ms, max ${alert.max.toFixed(1)} ms over ${alert.count} crossings (target p95 <= 1000 ms)`,
    );
  } finally {
    await server.close();
    await store.close();
    await postgres?.drop();
  }
}

function report({
  store,
  what,
  name,
  value,
  reference,
  referenceValue,
  target,
}: {
  store: string;
  what: string;
  name: string;
  value: number;
  reference: string;
  referenceValue: number;
  target: string;
}): void {
  figure(`${store}.${name}`, value);
  figure(`${store}.${name}Reference`, referenceValue);
  figure(`${store}.${name}Ratio`, value / referenceValue);
  console.log(
    `${store.padEnd(9)} ${what}: ${Math.round(value)} vs ${reference} ${Math.round(referenceValue)} -> ratio ${(value / referenceValue).toFixed(2)} (target ${target})`,
  );
}

/**
 * Context for the figures at 64 connections: what Express itself answers on this machine, with the
 * load generator beside it, when a POST's JSON body is parsed and a constant is sent back.
 */
async function expressFloor(): Promise<LoadResult> {
  const app = express();
  app.set('etag', false);
  app.use(express.json());
  app.post('/floor', (_req, res) => {
    res.json({ allowed: true, estimatedCost: '95', balance: '500000', available: '500000', held: '0', status: 'active' });
  });
  const listening: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const { port } = listening.address() as AddressInfo;
    const floor = await load({
      url: `http://127.0.0.1:${port}`,
      apiKey: 'none',
      connections: 64,
      seconds: LOAD_SECONDS,
      method: 'POST',
      path: '/floor',
      body: '{"type":"call"}',
    });
    figure('expressConstantPost.perSecond', floor.requestsPerSecond);
    figure('expressConstantPost.cpuMicrosPerRequest', floor.cpuMicrosPerRequest);
    console.log(
      `reference: Express answering a JSON POST with a constant at 64 conns: ${Math.round(floor.requestsPerSecond)} req/s, p50 ${floor.latencyMsP50} ms, p99 ${floor.latencyMsP99} ms, this process's CPU per request ${cpuMicros(floor)}`,
    );
    return floor;
  } finally {
    await new Promise((resolve) => listening.close(resolve));
  }
}

async function main(): Promise<void> {
  console.log(`creditmeter bench on ${require('node:os').cpus().length} cores, Node ${process.version}`);
  // BENCH_ONLY=report, core, mixed or fairness (the rate limits alone) runs one part; all by default.
  const only = process.env['BENCH_ONLY'];
  // BENCH_STORES=pglite or postgres runs the core and mixed parts on that store alone; both by default.
  const stores = (['pglite', 'postgres'] as const).filter((kind) => (process.env['BENCH_STORES'] ?? kind).split(',').includes(kind));
  if (only === undefined || only === 'core') {
    const floor = await expressFloor();
    for (const kind of stores) await benchStore(kind, floor);
  }
  if (only !== 'report' && only !== 'mixed') await rateLimitFairness(load, LOAD_SECONDS);
  if (only === undefined || only === 'mixed') {
    if (stores.includes('pglite')) await mixedScenario('pglite', undefined);
    if (stores.includes('postgres')) {
      const postgres = await createScratchDatabase(ADMIN_URL, 'creditmeter_bench');
      try {
        await mixedScenario('postgres', postgres.url);
      } finally {
        await postgres.drop();
      }
      await processScaling(ADMIN_URL);
    }
  }
  if (only === undefined || only === 'report') {
    await reportSpeedOn('pglite', undefined);
    const postgres = await createScratchDatabase(ADMIN_URL, 'creditmeter_bench');
    try {
      await reportSpeedOn('postgres', postgres.url);
    } finally {
      await postgres.drop();
    }
  }
  const peak = Math.round(process.resourceUsage().maxRSS / 1024);
  figure('benchProcess.peakMiB', peak);
  console.log(`peak memory of the bench process (max RSS; the core figures' servers run in it): ${peak} MiB (target <= 1024)`);
  console.log(benchJson());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
