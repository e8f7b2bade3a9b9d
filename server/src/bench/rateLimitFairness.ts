// Whether one key's flood leaves another key's latency intact under CREDITMETER_RATE_LIMIT: a quiet
// key's authorize at 80 a second, alone, beside another key sending events at its limit (its fair
// share of the server), and beside that key flooding single events at 64 connections (most of
// which its bucket answers 429). Intact means the flood costs the quiet key no more than the
// share does. The server and the loads run in processes of their own.
import { call, startServer } from './benchServer';
import type { LoadOutput } from './load';

type Load = (spec: object) => Promise<LoadOutput>;

/** 100 requests a second per key, bursts of 200. */
const LIMIT = { perSecond: 100, burst: 200 };

export async function rateLimitFairness(load: Load, seconds: number): Promise<void> {
  const server = await startServer({ env: { CREDITMETER_RATE_LIMIT: `${LIMIT.perSecond}/${LIMIT.burst}` } });
  try {
    const post = async (path: string, body: unknown) => (await call(server.url, 'POST', path, body)) as { key: string };
    await post('/v1/accounts', { id: 'quiet', name: 'Quiet', plan: 'starter' });
    await post('/v1/accounts', { id: 'loud', name: 'Loud', plan: 'starter' });
    const quietKey = (await post('/v1/api-keys', { name: 'quiet', scopes: ['ingest'] })).key;
    const loudKey = (await post('/v1/api-keys', { name: 'loud', scopes: ['ingest'] })).key;
    // 80 a second, under the quiet key's own limit of 100: it is never refused for its own rate.
    const quiet = {
      url: server.url,
      apiKey: quietKey,
      connections: 1,
      seconds,
      method: 'POST',
      path: '/v1/accounts/quiet/authorize',
      body: JSON.stringify({ type: 'chat', data: { input_tokens: 100 } }),
      rate: 80,
    };
    const loud = (run: string, extra: object) => ({
      url: server.url,
      apiKey: loudKey,
      seconds,
      method: 'POST',
      path: '/v1/events',
      body: JSON.stringify({
        id: `${run}-{{n}}`,
        account: 'loud',
        type: 'chat',
        timestamp: new Date().toISOString(),
        data: { input_tokens: 10, output_tokens: 0 },
      }),
      ...extra,
    });
    const alone = await load(quiet);
    // The other key's share: events at its limit. What a flood adds beyond it is the limiter's to stop.
    const [besideShare] = await Promise.all([load(quiet), load(loud('share', { connections: 4, rate: LIMIT.perSecond }))]);
    const [besideFlood, flood] = await Promise.all([load(quiet), load(loud('flood', { connections: 64 }))]);
    const limited = flood.non2xx / Math.max(1, flood.total);
    // autocannon counts whole milliseconds.
    const ms = (value: number) => (value === 0 ? '<1' : String(value));
    const figures = (r: { latencyMsP50: number; latencyMsP99: number }) => `${ms(r.latencyMsP50)} / ${ms(r.latencyMsP99)} ms`;
    console.log(
      `pglite    rate limit ${LIMIT.perSecond}/s per key: a quiet key's authorize at 80 req/s, p50 / p99 ${figures(alone)} alone, ` +
        `${figures(besideShare)} beside another key's events at its limit, ${figures(besideFlood)} beside the same key flooding at 64 conns ` +
        `(${Math.round(flood.requestsPerSecond)} req/s, ${Math.round(limited * 100)}% answered 429) -> p99 ratio to its limit's ${(besideFlood.latencyMsP99 / Math.max(besideShare.latencyMsP99, 1)).toFixed(1)}, ` +
        `to alone ${(besideFlood.latencyMsP99 / Math.max(alone.latencyMsP99, 1)).toFixed(1)}; quiet key refused ${besideShare.non2xx + besideFlood.non2xx}`,
    );
  } finally {
    await server.stop();
  }
}
