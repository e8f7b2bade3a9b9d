// Readiness and a graceful stop. /v1/ready answers 503 while the process shuts down or its store
// does not answer; SIGTERM under load stops taking requests, finishes those running, and every
// event the server acknowledged is found stored after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, post, startEmbeddedProcess } from '../support/processes';
import { STORES, startTestServer } from '../support/servers';
import { waitFor } from '../../support/eventually';

describe.each(STORES)('readiness on %s', (store) => {
  test('ready while the store answers; 503 once shutting down, and every other route refuses with shutting_down', async () => {
    const server = await startTestServer(store);
    try {
      expect(await server.call('GET', '/v1/ready')).toEqual({ status: 200, body: { status: 'ready' } });
      server.lifecycle.beginShutdown();
      expect(await server.call('GET', '/v1/ready')).toEqual({ status: 503, body: { status: 'shutting_down' } });
      const refused = await fetch(`${server.url}/v1/accounts`, { headers: { authorization: `Bearer ${server.apiKey}` } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('shutting_down');
      // Liveness stays: the process is alive, only not taking requests.
      expect((await server.call('GET', '/v1/health')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

test('a store that does not answer makes the server unready', async () => {
  const server = await startTestServer('pglite');
  try {
    const query = server.db.query.bind(server.db);
    server.db.query = (() => Promise.reject(new Error('store down'))) as typeof server.db.query;
    expect(await server.call('GET', '/v1/ready')).toEqual({ status: 503, body: { status: 'store_unavailable' } });
    server.db.query = query;
    expect((await server.call('GET', '/v1/ready')).status).toBe(200);
  } finally {
    await server.stop();
  }
});

test('SIGTERM under load: the server exits 0 and every acknowledged event is stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'creditmeter-shutdown-'));
  try {
    const first = await startEmbeddedProcess(dir);
    expect((await post(first.url, '/v1/accounts', { id: 'busy', name: 'Busy', plan: 'payg' })).status).toBe(201);
    expect((await post(first.url, '/v1/accounts/busy/topups', { amount: '100000000', reference: 'float' })).status).toBe(201);

    const acknowledged: string[] = [];
    let refused = 0;
    let sent = 0;
    // Eight clients send events one after another until the server stops answering.
    const client = async (c: number) => {
      for (let i = 0; ; i++) {
        const id = `c${c}-${i}`;
        let status: number;
        try {
          sent++;
          status = (await post(first.url, '/v1/events', { id, account: 'busy', type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } })).status;
        } catch {
          return; // the connection was refused: the server is gone
        }
        if (status === 201) acknowledged.push(id);
        else if (status === 503) refused++;
        else throw new Error(`unexpected status ${status}`);
      }
    };
    const exited = new Promise<number | null>((resolve) => first.child.on('exit', (code) => resolve(code)));
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await waitFor(() => acknowledged.length >= 200, { timeoutMs: 30_000, message: '200 acknowledged events before SIGTERM', show: () => ({ acknowledged: acknowledged.length, refused, sent }) });
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await Promise.all(clients);
    expect(sent).toBeGreaterThan(acknowledged.length);

    const second = await startEmbeddedProcess(dir);
    try {
      const stored = await Promise.all(
        acknowledged.map(async (id) => (await fetch(`${second.url}/v1/events/${id}?account=busy`, { headers: { authorization: `Bearer ${KEY}` } })).status),
      );
      expect(stored.filter((status) => status !== 200)).toEqual([]);
      // Each acknowledged chat of 1,000 input tokens is 40 credits: the balance says the same.
      const balance = (await (await fetch(`${second.url}/v1/accounts/busy/balance`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { balance: string };
      const charged = 100000000 - Number(balance.balance);
      expect(charged).toBeGreaterThanOrEqual(acknowledged.length * 40);
      // Refused requests wrote nothing: at most the requests cut without an answer were stored besides.
      expect(charged).toBeLessThanOrEqual((sent - refused) * 40);
    } finally {
      second.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
