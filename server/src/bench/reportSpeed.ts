// Bench figure: a cost report over one account's 1,000,000 events of a cycle, through HTTP. The
// events are recorded as the API records them (rated, with their hourly rollups), then each report
// is asked for repeatedly; the report reads rollups, never the events.
import { loadCatalog } from '../catalog/loadCatalog';
import type { UsageEvent } from '../domain/event/UsageEvent';
import { money } from '../domain/money';
import { startServer } from '../server';
import { openBenchStore } from './benchStore';
import type { Database } from '../store/Database';
import { openAccount } from '../usecases/openAccount';
import { UsageRecorder } from '../usecases/recordUsage';
import { topUp } from '../usecases/topUp';
import { countRollupRows } from '../store/benchReference';

const EVENTS = Number(process.env['BENCH_REPORT_EVENTS'] ?? 1_000_000);
const BATCH = 1000;
const RUNS = 20;
const CYCLE_START = Date.parse('2026-03-01T00:00:00Z');
const CYCLE_MS = 31 * 24 * 60 * 60 * 1000;
/** A platform's busy account: 4 assistants, 8 campaigns, 20 numbers (each number in one campaign). */
const ASSISTANTS = 4;
const CAMPAIGNS = 8;
const NUMBERS = 20;

function event(i: number): UsageEvent {
  const timestamp = new Date(CYCLE_START + Math.floor((i * (CYCLE_MS - 1000)) / EVENTS)).toISOString();
  const number = `+4930${String(i % NUMBERS).padStart(4, '0')}`;
  const campaign = `campaign-${(i % NUMBERS) % CAMPAIGNS}`;
  const assistant = `assistant-${(i >> 3) % ASSISTANTS}`;
  const base = { id: `r${i}`, account: 'busy', timestamp };
  switch (i % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return { ...base, type: 'chat', data: { input_tokens: 900 + (i % 700), output_tokens: 200 + (i % 300), assistant } };
    case 7:
    case 8:
    case 9:
      return { ...base, type: 'sms', data: { direction: 'outbound', text: 'Ihr Termin ist bestätigt.', campaign, number } };
    default:
      return {
        ...base,
        type: 'call',
        data: { duration_seconds: 20 + (i % 400), answered: true, direction: i % 3 === 0 ? 'inbound' : 'outbound', campaign, number, assistant },
      };
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export async function reportSpeed(kind: string, db: Database): Promise<void> {
  // The cycle's last second: the whole month has happened and is the current cycle.
  const clock = { now: () => new Date(CYCLE_START + CYCLE_MS - 1000) };
  const server = await startServer({ db, catalog: loadCatalog('credits'), clock });
  try {
    const context = server.context;
    await openAccount(context, { id: 'busy', name: 'Busy platform customer', plan: 'growth', interval: 'month', anchor: new Date(CYCLE_START) });
    await topUp(context, { accountId: 'busy', amount: money('1000000000000'), reference: 'bench' });
    const recorder = new UsageRecorder(context);
    const started = performance.now();
    for (let from = 0; from < EVENTS; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, j) => event(from + j));
      for (const outcome of await recorder.record(batch)) {
        if (outcome.status !== 'accepted') throw new Error(`report bench event not accepted: ${JSON.stringify(outcome)}`);
      }
    }
    // Reports are measured at rest: every increment folded into the rollup tables.
    await server.rollups.checkAfresh();
    const seconds = (performance.now() - started) / 1000;
    const count = async (table: 'usage_rollups' | 'usage_rollups_daily') => (await countRollupRows(db, table, 'busy')).toLocaleString('en');
    console.log(
      `${kind.padEnd(9)} report data: ${EVENTS.toLocaleString('en')} events of one account recorded in ${seconds.toFixed(0)} s, kept as ${await count('usage_rollups')} hourly and ${await count('usage_rollups_daily')} daily rollup rows`,
    );

    const reports = ['channel', 'day', 'campaign,number', 'assistant,service'].map((groupBy) => ({
      what: `cost report over ${EVENTS.toLocaleString('en')} events by ${groupBy}`,
      url: `${server.url}/v1/reports/costs?account=busy&period=current_cycle&groupBy=${groupBy}`,
      total: (body: any) => `${body.totals.amount} credits, ${body.totals.charges} charges`,
    }));
    reports.push({
      what: `dashboard summary over ${EVENTS.toLocaleString('en')} events`,
      url: `${server.url}/dashboard/api/summary?account=busy`,
      total: (body: any) => `${body.forecast.costSoFar} credits so far`,
    });
    for (const report of reports) {
      const times: number[] = [];
      let total = '';
      for (let run = 0; run <= RUNS; run += 1) {
        const at = performance.now();
        const response = await fetch(report.url, { headers: { authorization: `Bearer ${server.apiKey}` } });
        const body = await response.json();
        if (response.status !== 200) throw new Error(`${report.url} answered ${response.status}: ${JSON.stringify(body)}`);
        // The first run warms caches and plans; it is not counted.
        if (run > 0) times.push(performance.now() - at);
        total = report.total(body);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(9)} ${report.what}: p50 ${percentile(times, 0.5).toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms over ${RUNS} runs (target <= 100 ms); ${total}`,
      );
    }
  } finally {
    await server.close();
  }
}

export async function reportSpeedOn(kind: 'pglite' | 'postgres', postgresUrl: string | undefined): Promise<void> {
  const store = await openBenchStore(postgresUrl);
  try {
    await reportSpeed(kind, store.db);
  } finally {
    await store.close();
  }
}
