// CREDITMETER_PROCESSES=2 on PostgreSQL: two server processes on one port behind one banner, the
// requests shared between them, a process that dies started again, and SIGTERM stopping them all.
import { execFile, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { KEY, post, startProcess } from '../support/processes';
import { createPostgresDatabase } from '../support/servers';
import { waitFor } from '../../support/eventually';

const run = promisify(execFile);

/** The processes whose parent is `pid` (ps, as Linux and macOS both have it). */
async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=']);
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, parent]) => parent === pid)
    .map(([child]) => child!);
}

/** A POST on a connection of its own, so that the primary hands each to the next process in turn. */
function postAlone(url: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(
      `${url}${path}`,
      { method: 'POST', agent: false, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    r.on('error', reject);
    r.end(JSON.stringify(body));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

describe('two server processes on one port', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let server: Awaited<ReturnType<typeof startProcess>>;
  let output = '';

  beforeAll(async () => {
    database = await createPostgresDatabase();
    server = await startProcess(database.url, { CREDITMETER_PROCESSES: '2', LOG_LEVEL: 'info' });
    server.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  afterAll(async () => {
    server.child.kill('SIGKILL');
    for (const pid of await childrenOf(server.child.pid!).catch(() => [])) process.kill(pid, 'SIGKILL');
    await database.drop();
  });

  test('one banner names both processes, and the requests are answered by both', async () => {
    const workers = await childrenOf(server.child.pid!);
    expect(workers).toHaveLength(2);
    expect(server.output()).toContain('(2 processes)');
    expect((await post(server.url, '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(201);
    for (let i = 0; i < 40; i += 1) {
      const event = { id: `e-${i}`, account: 'acme', type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } };
      expect(await postAlone(server.url, '/v1/events', event)).toBe(201);
    }
    // Each request's log line names its process: both served some.
    const servedBy = () => [...new Set([...output.matchAll(/"pid":(\d+)[^\n]*"path":"\/v1\/events"/g)].map((m) => Number(m[1])))].sort();
    await waitFor(servedBy, { message: 'both processes to have logged events they answered', until: (pids) => pids.length === 2 });
    expect(servedBy()).toEqual([...workers].sort());
    const balance = await fetch(`${server.url}/v1/accounts/acme/balance`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await balance.json()) as { balance: string }).balance).toBe('-1600');
  });

  test('a process that dies is started again, and the others answer meanwhile', async () => {
    const [first] = await childrenOf(server.child.pid!);
    process.kill(first!, 'SIGKILL');
    await waitFor(() => childrenOf(server.child.pid!), {
      message: 'the primary to see the process gone',
      intervalMs: 50,
      until: (now) => !now.includes(first!),
    });
    expect(await postAlone(server.url, '/v1/accounts', { id: 'beta', name: 'Beta', plan: 'payg' })).toBe(201);
    await waitFor(() => childrenOf(server.child.pid!), {
      message: 'a new process in place of the one killed',
      timeoutMs: 15_000,
      intervalMs: 200,
      until: (now) => now.length === 2 && !now.includes(first!),
    });
  });

  test('SIGTERM stops every process, and the primary exits with 0', async () => {
    const workers = await childrenOf(server.child.pid!);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect((await childrenOf(server.child.pid!)).filter((pid) => workers.includes(pid))).toEqual([]);
  });
});
