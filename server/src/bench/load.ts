// The load generator of `npm run bench`, run in its own process so that it does not share a core's
// event loop with the server it measures. Prints autocannon's result as one JSON line.
import autocannon from 'autocannon';

interface LoadSpec {
  url: string;
  apiKey: string;
  method: 'GET' | 'POST';
  path: string;
  /** A body template; `{{n}}` becomes a number unique within the run (for event ids). */
  body?: string;
  connections: number;
  seconds: number;
  /** Requests a second over all connections (open loop); as fast as answers come when unset. */
  rate?: number;
}

/** The one JSON line this process prints. */
export interface LoadOutput {
  requestsPerSecond: number;
  latencyMsP50: number;
  latencyMsP99: number;
  non2xx: number;
  errors: number;
  total: number;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
let n = 0;
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' },
        ...(spec.body ? { setupRequest: (request: autocannon.Request) => ({ ...request, body: spec.body!.replaceAll('{{n}}', String(n++)) }) } : {}),
      },
    ],
  },
  (error: Error | null, result: autocannon.Result) => {
    if (error) throw error;
    process.stdout.write(
      JSON.stringify({
        requestsPerSecond: result.requests.average,
        latencyMsP50: result.latency.p50,
        latencyMsP99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        total: result.requests.total,
      } satisfies LoadOutput) + '\n',
    );
  },
);
process.once('SIGINT', () => instance.stop());
