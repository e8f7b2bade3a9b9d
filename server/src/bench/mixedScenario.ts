// The mixed scenario of `npm run bench` (issue 27): a real server process (server/dist/main.js) on
// one store, a fixed mix of requests over many accounts at 64 connections from a load process,
// each route's p50/p99 under the mix beside its p99 alone (one connection, nothing else running),
// and the server's resident memory after start, after ingesting many events, under the mix and
// after idling. The server runs in its own process so that its memory is its own.
import { DEFAULT_CYCLE_CHECK_MS } from '../schedule/CycleCloser';
import { DEFAULT_UPKEEP_MS } from '../schedule/TableUpkeep';
import { call, heapOf, KEY, load, rssMiB, startServer } from './benchServer';
import { figure } from './figures';
import { MIX, type Route } from './mix';

const ACCOUNTS = 200;
const BATCH = 1000;

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MEMORY_EVENTS = env('BENCH_MEMORY_EVENTS', 300_000);
const MIX_SECONDS = env('BENCH_MIX_SECONDS', 30);
const WARM_SECONDS = env('BENCH_WARM_SECONDS', 5);
const ALONE_SECONDS = env('BENCH_ALONE_SECONDS', 5);
const IDLE_SECONDS = env('BENCH_IDLE_SECONDS', 30);

/** Samples the process's memory every half second while `work` runs: the highest seen. */
async function peakDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const sample = async () => (peak = Math.max(peak, await rssMiB(pid).catch(() => 0)));
  const timer = setInterval(() => void sample(), 500);
  try {
    const result = await work;
    await sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

export async function mixedScenario(kind: 'pglite' | 'postgres', databaseUrl: string | undefined): Promise<void> {
  const server = await startServer({ databaseUrl });
  const { url, child } = server;
  const pid = child.pid!;
  const say = (line: string) => console.log(`${kind.padEnd(9)} ${line}`);
  try {
    // After the first passes of the jobs that start 5 s in (table upkeep, cycle closing), which grew
    // an embedded server by about 20 MiB for good: what any server up for a few seconds holds.
    await new Promise((resolve) => setTimeout(resolve, Math.max(DEFAULT_UPKEEP_MS, DEFAULT_CYCLE_CHECK_MS) + 2000));
    const afterStart = await rssMiB(pid);
    figure(`${kind}.memory.afterStartMiB`, afterStart);
    const startHeap = await heapOf(url);

    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `mix-${i}`);
    for (const id of accounts) {
      await call(url, 'POST', '/v1/accounts', { id, name: `Mixed ${id}`, plan: 'growth' });
      await call(url, 'POST', `/v1/accounts/${id}/topups`, { amount: '1000000000', reference: `bench-${id}` });
    }

    // Many events first, so that the mix runs on a store of a real size and memory shows its growth.
    const started = performance.now();
    const ingest = (async () => {
      for (let sent = 0; sent < MEMORY_EVENTS; sent += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, MEMORY_EVENTS - sent) }, (_, i) => ({
          id: `mem-${sent + i}`,
          account: accounts[(sent + i) % ACCOUNTS]!,
          type: 'chat',
          timestamp: new Date().toISOString(),
          data: { input_tokens: 1200, output_tokens: 350 },
        }));
        await call(url, 'POST', '/v1/events/batch', { events });
      }
    })();
    const ingested = await peakDuring(pid, ingest);
    const rate = MEMORY_EVENTS / ((performance.now() - started) / 1000);
    const afterEvents = await rssMiB(pid);
    figure(`${kind}.memory.afterEventsMiB`, afterEvents);
    figure(`${kind}.memory.peakIngestingMiB`, ingested.peak);
    say(
      `memory: ${afterStart} MiB after start (${startHeap}); ${afterEvents} MiB after ${MEMORY_EVENTS.toLocaleString('en')} events (peak ${ingested.peak} MiB while ingesting them at ${Math.round(rate)} events/s over HTTP; ${await heapOf(url)})`,
    );

    const spec = { url, apiKey: KEY, accounts };
    // The mix's first seconds touch each account for the first time since start: its first authorize
    // reads the account from the store, behind the queue a saturated store has, where later ones
    // answer from memory. Printed apart, so that the timed mix is measured warm, as the routes alone
    // (after it) are.
    const warm = (await load({ ...spec, connections: 64, seconds: WARM_SECONDS })).routes;
    for (const route of ['authorize', 'event'] as const) figure(`${kind}.mixWarmUp.${route}.p99Ms`, warm[route]?.p99 ?? 0);
    say(
      `mixed load's first ${WARM_SECONDS} s after start (each account's first authorize reads the store): ` +
        `authorize p50 ${warm['authorize']?.p50} ms, p99 ${warm['authorize']?.p99} ms; event p50 ${warm['event']?.p50} ms, p99 ${warm['event']?.p99} ms`,
    );
    const mix = await peakDuring(pid, load({ ...spec, connections: 64, seconds: MIX_SECONDS }));
    figure(`${kind}.memory.underMixMiB`, mix.peak);
    figure(`${kind}.mix.requestsPerSecond`, mix.result.requestsPerSecond);
    const failed = Object.entries(mix.result.failures);
    say(
      `mixed load, 64 conns for ${MIX_SECONDS} s: ${mix.result.requestsPerSecond} req/s${failed.length ? `; not 2xx: ${failed.map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}; memory peak ${mix.peak} MiB`,
    );

    // Each route alone twice: one request at a time (what a caller meets on a quiet server), and at
    // the mix's 64 connections, saturating as the mix does (a closed loop's p99 at saturation is its
    // queue). The target compares the mix with the latter: how much the mix's heavy requests make
    // the light ones wait beyond the queue they would meet anyway.
    const aloneOneAtATime = new Map<Route, number>();
    for (const route of new Set<Route>(MIX)) {
      const under = mix.result.routes[route];
      if (!under) continue;
      const single = (await load({ ...spec, connections: 1, seconds: ALONE_SECONDS, only: route })).routes[route]?.p99 ?? 0;
      aloneOneAtATime.set(route, single);
      const saturated = (await load({ ...spec, connections: 64, seconds: ALONE_SECONDS, only: route })).routes[route]?.p99 ?? 0;
      const ratio = saturated > 0 ? under.p99 / saturated : 0;
      figure(`${kind}.mix.${route}.p50Ms`, under.p50);
      figure(`${kind}.mix.${route}.p99Ms`, under.p99);
      figure(`${kind}.alone.${route}.p99Ms`, single);
      figure(`${kind}.alone64.${route}.p99Ms`, saturated);
      figure(`${kind}.mix.${route}.p99Ratio`, ratio);
      const target = route === 'authorize' || route === 'event' ? ' (target <= 2)' : '';
      say(
        `  ${route.padEnd(9)} under the mix p50 ${under.p50} ms, p99 ${under.p99} ms; alone p99 ${single} ms one at a time, ${saturated} ms at 64 conns -> ratio ${ratio.toFixed(1)}${target}`,
      );
    }

    // The same mix below saturation: sent at half the rate the closed loop reached, each request on
    // time whatever the answers. What a light request meets here beyond its time alone is what the
    // heavy ones cost it, not a queue that any saturated server has.
    const halfRate = Math.max(1, Math.round(mix.result.requestsPerSecond / 2));
    const open = await load({ ...spec, connections: 256, seconds: MIX_SECONDS, rate: halfRate });
    figure(`${kind}.mixOpenLoop.requestsPerSecond`, halfRate);
    say(`mixed load at ${halfRate} req/s (half the closed loop's), sent on time for ${MIX_SECONDS} s:`);
    for (const route of ['authorize', 'event'] as const) {
      const under = open.routes[route];
      const single = aloneOneAtATime.get(route);
      if (!under || single === undefined) continue;
      const ratio = single > 0 ? under.p99 / single : 0;
      figure(`${kind}.mixOpenLoop.${route}.p99Ms`, under.p99);
      figure(`${kind}.mixOpenLoop.${route}.p99Ratio`, ratio);
      say(`  ${route.padEnd(9)} p50 ${under.p50} ms, p99 ${under.p99} ms; alone one at a time p99 ${single} ms -> ratio ${ratio.toFixed(1)} (target <= 2)`);
    }

    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = await rssMiB(pid);
    figure(`${kind}.memory.afterIdleMiB`, idle);
    const targets = kind === 'pglite' ? 'targets <= 250 after start, <= 400 after the events' : 'targets <= 150 after start, <= 250 under the mix';
    say(`memory after ${IDLE_SECONDS} s idle: ${idle} MiB, ${await heapOf(url)} (${targets})`);
  } finally {
    await server.stop();
  }
}
