// The load generator of the mixed scenario, in its own process: `connections` loops, each sending
// the next request of a fixed mix (below) as soon as its last one is answered, for `seconds`; or,
// given a `rate`, the mix sent at that many requests a second whatever the answers (an open loop);
// or one route alone. Prints one JSON line: requests a second, and p50/p99 per route.
import { Agent, request } from 'node:http';
import { BATCH_EVENTS, MIX, type Route } from './mix';

interface Spec {
  url: string;
  apiKey: string;
  accounts: string[];
  connections: number;
  seconds: number;
  /** One route alone instead of the mix. */
  only?: Route;
  /** Requests a second, sent on time whether or not the earlier ones are answered, at most `connections` under way. */
  rate?: number;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
const { hostname, port } = new URL(spec.url);
const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const headers = { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' };
const tag = `${process.pid}-${Date.now().toString(36)}`;
let sent = 0;

function chat(id: string, account: string) {
  return { id, account, type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 1200, output_tokens: 350 } };
}

function requestOf(route: Route, n: number): { method: string; path: string; body?: string } {
  const account = spec.accounts[n % spec.accounts.length]!;
  switch (route) {
    case 'authorize':
      return { method: 'POST', path: `/v1/accounts/${account}/authorize`, body: JSON.stringify({ type: 'call', data: { duration_seconds: 120 } }) };
    case 'event':
      return { method: 'POST', path: '/v1/events', body: JSON.stringify(chat(`mx-${tag}-${n}`, account)) };
    case 'batch':
      return {
        method: 'POST',
        path: '/v1/events/batch',
        body: JSON.stringify({
          events: Array.from({ length: BATCH_EVENTS }, (_, i) => chat(`mxb-${tag}-${n}-${i}`, spec.accounts[(n + i) % spec.accounts.length]!)),
        }),
      };
    case 'balance':
      return { method: 'GET', path: `/v1/accounts/${account}/balance` };
    case 'ledger':
      return { method: 'GET', path: `/v1/accounts/${account}/ledger?limit=50` };
    case 'account':
      return { method: 'GET', path: `/v1/accounts/${account}` };
    case 'report':
      return { method: 'GET', path: `/v1/reports/costs?account=${account}&period=current_cycle&groupBy=channel` };
  }
}

function send(req: { method: string; path: string; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request({ hostname, port, agent, method: req.method, path: req.path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const latencies = new Map<Route, number[]>();
  const failures = new Map<string, number>();
  const ends = performance.now() + spec.seconds * 1000;
  const one = async (n: number, due: number) => {
    const route = spec.only ?? MIX[n % MIX.length]!;
    const status = await send(requestOf(route, n));
    // From when it was due: a request held back by a full pool waited for the server too.
    const took = performance.now() - due;
    if (status >= 300) failures.set(`${route} ${status}`, (failures.get(`${route} ${status}`) ?? 0) + 1);
    let list = latencies.get(route);
    if (!list) latencies.set(route, (list = []));
    list.push(took);
  };
  const loop = async () => {
    while (performance.now() < ends) await one(sent++, performance.now());
  };
  const openLoop = async (rate: number) => {
    const under: Promise<void>[] = [];
    for (let n = 0; ; n++) {
      const due = started + (n * 1000) / rate;
      if (due >= ends) break;
      if (due > performance.now()) await sleep(due - performance.now());
      sent++;
      under.push(one(n, due));
    }
    await Promise.all(under);
  };
  const started = performance.now();
  await (spec.rate ? openLoop(spec.rate) : Promise.all(Array.from({ length: spec.connections }, loop)));
  const seconds = (performance.now() - started) / 1000;
  const routes: Record<string, { count: number; p50: number; p99: number }> = {};
  for (const [route, list] of latencies) {
    list.sort((a, b) => a - b);
    routes[route] = { count: list.length, p50: round(percentile(list, 50)), p99: round(percentile(list, 99)) };
  }
  agent.destroy();
  process.stdout.write(JSON.stringify({ requestsPerSecond: Math.round(sent / seconds), routes, failures: Object.fromEntries(failures) }) + '\n');
}

const round = (ms: number) => Math.round(ms * 10) / 10;

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
