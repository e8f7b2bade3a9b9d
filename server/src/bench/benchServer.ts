// A creditmeter server process for the bench (server/dist/main.js), its memory as the kernel and
// its own metrics tell it, and the load process that drives it (mixedLoad).
import { spawn, type ChildProcess, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HEAP_FLAGS, MALLOC_ARENA_MAX } from '../lifecycle/heapSettings';

const run = promisify(execFile);
const MAIN = join(__dirname, '..', 'main.js');
export const KEY = 'bench-mixed-key-0123456789abcdef';
const METRICS_TOKEN = 'bench-metrics-0123456789abcdef';

/** The resident memory of a process, in MiB (Linux: /proc; elsewhere ps). */
export async function rssMiB(pid: number): Promise<number> {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
  } catch {
    const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    return Math.round(Number(stdout.trim()) / 1024);
  }
}

/** Where the server's memory is, from its own metrics: the JavaScript heap in use and held, and memory outside it (PGlite's WebAssembly memory, buffers). */
export async function heapOf(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const mib = (name: string) => Math.round(Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 1048576);
  return `heap ${mib('nodejs_heap_size_used_bytes')} of ${mib('nodejs_heap_size_total_bytes')} MiB, external ${mib('nodejs_external_memory_bytes')} MiB`;
}

export interface BenchServer {
  url: string;
  child: ChildProcess;
  /** Stops the process and removes its data folder. */
  stop(): Promise<void>;
}

/** Starts a server process on a data folder of its own (PGlite's, or beside PostgreSQL at `databaseUrl`). */
export async function startServer(store: { databaseUrl?: string | undefined; env?: Record<string, string> } = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'creditmeter-bench-'));
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    PORT: '0',
    CREDITMETER_API_KEY: KEY,
    CREDITMETER_METRICS_TOKEN: METRICS_TOKEN,
    LOG_LEVEL: 'error',
    CREDITMETER_CATALOG: 'credits',
    // As npm start runs it; MALLOC_ARENA_MAX=16 npm run bench measures glibc's default on two cores.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENA_MAX,
  };
  delete base['DATABASE_URL'];
  const child = spawn(process.execPath, [...HEAP_FLAGS, MAIN], {
    env: { ...base, CREDITMETER_DATA_DIR: dataDir, ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}), ...store.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1]!, child, stop });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}: ${output}`)));
  });
}

export async function call(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json()) as unknown;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

export interface LoadResult {
  requestsPerSecond: number;
  routes: Record<string, { count: number; p50: number; p99: number }>;
  failures: Record<string, number>;
}

/** Runs the load process (mixedLoad) with `spec`: the mix, or one route alone. */
export async function load(spec: object): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'mixedLoad.js'), JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}
