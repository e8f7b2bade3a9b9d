// Whether one key's flood leaves another key's latency intact under CREDITMETER_RATE_LIMIT: a quiet
// key's authorize at 80 a second, alone and then beside another key flooding single events at 64
// connections (most of which the flood key's bucket answers 429). Both loads run in their own
// processes; the server is embedded in this one.
import { loadCatalog } from '../catalog/loadCatalog';
import { openStore, startServer } from '../server';

type Load = (spec: object) => Promise<{ requestsPerSecond: number; latencyMsP50: number; latencyMsP99: number; non2xx: number; errors: number; total: number }>;

/** 100 requests a second per key, bursts of 200. */
const LIMIT = { perSecond: 100, burst: 200 };

export async function rateLimitFairness(load: Load, seconds: number): Promise<void> {
  const db = await openStore({});
  const server = await startServer({ db, catalog: loadCatalog('credits'), rateLimit: LIMIT });
  try {
    const call = async (method: string, path: string, body: unknown) =>
      (await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ key: string }>;
    await call('POST', '/v1/accounts', { id: 'quiet', name: 'Quiet', plan: 'starter' });
    await call('POST', '/v1/accounts', { id: 'loud', name: 'Loud', plan: 'starter' });
    const quietKey = (await call('POST', '/v1/api-keys', { name: 'quiet', scopes: ['ingest'] })).key;
    const loudKey = (await call('POST', '/v1/api-keys', { name: 'loud', scopes: ['ingest'] })).key;
    // 80 a second, under the quiet key's own limit of 100: it is never refused for its own rate.
    const quiet = { url: server.url, apiKey: quietKey, connections: 1, seconds, method: 'POST', path: '/v1/accounts/quiet/authorize', body: JSON.stringify({ type: 'chat', data: { input_tokens: 100 } }), rate: 80 };
    const alone = await load(quiet);
    const [beside, flood] = await Promise.all([
      load(quiet),
      load({
        url: server.url,
        apiKey: loudKey,
        connections: 64,
        seconds,
        method: 'POST',
        path: '/v1/events',
        body: JSON.stringify({ id: 'flood-{{n}}', account: 'loud', type: 'chat', timestamp: new Date().toISOString(), data: { input_tokens: 10, output_tokens: 0 } }),
      }),
    ]);
    const limited = flood.non2xx / Math.max(1, flood.total);
    // autocannon counts whole milliseconds.
    const ms = (value: number) => (value === 0 ? '<1' : String(value));
    console.log(
      `pglite    rate limit ${LIMIT.perSecond}/s per key: a quiet key's authorize at 80 req/s, p50 / p99 ${ms(alone.latencyMsP50)} / ${ms(alone.latencyMsP99)} ms alone, ` +
        `${ms(beside.latencyMsP50)} / ${ms(beside.latencyMsP99)} ms beside another key's flood of ${Math.round(flood.requestsPerSecond)} req/s (${Math.round(limited * 100)}% answered 429) -> p99 ratio ${(beside.latencyMsP99 / Math.max(alone.latencyMsP99, 1)).toFixed(1)}; quiet key refused ${beside.non2xx}`,
    );
  } finally {
    await server.close();
    await db.close();
  }
}
