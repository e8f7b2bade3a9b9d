// What an operator watches, on both stores: Prometheus text at /metrics (parsed as Prometheus
// parses it) with the named series present and moving, and one request log line per request with
// its id, never a key.
import { Writable } from 'node:stream';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import pino from 'pino';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const SERIES = [
  'http_request_duration_seconds',
  'creditmeter_events_total',
  'creditmeter_group_commit_events',
  'creditmeter_webhook_deliveries_total',
  'creditmeter_outbox_pending',
  'creditmeter_outbox_oldest_pending_age_seconds',
  'creditmeter_cycle_closings_total',
  'creditmeter_rollup_increments_pending',
  'creditmeter_rollup_last_fold_timestamp_seconds',
  'creditmeter_store_transactions',
  // The process's own, from prom-client's default metrics.
  'process_cpu_user_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

describe.each(STORES)('metrics on %s', (store) => {
  let server: TestServer;
  const lines: Record<string, any>[] = [];
  const metricsToken = 'scraper-token-0123456789';

  let text = '';
  const scrape = async (token = server.apiKey): Promise<Map<string, MetricFamily>> => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    text = await response.text();
    return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  };
  // The parser drops a labelled histogram's _count lines; they are read from the text it parsed.
  const countOf = (scraped: string, name: string, labels: Record<string, string>) => {
    const line = scraped.split('\n').find((l) => l.startsWith(`${name}_count{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const sample = (families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}) =>
    families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  const valueOf = (families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}) => Number(sample(families, name, labels)?.value ?? 0);

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startTestServer(store, { log: pino({ level: 'info' }, sink), metricsToken });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
  });
  afterAll(() => server.stop());

  test('every named series is there, in Prometheus text', async () => {
    const families = await scrape();
    for (const name of SERIES) expect({ name, present: families.has(name) }).toEqual({ name, present: true });
    expect(families.get('http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(families.get('creditmeter_events_total')!.type).toBe('COUNTER');
  });

  // Unbounded, V8 gives a thread a heap ceiling near 4 GiB on this machine; the store's is set at
  // start: young generation 48 MiB and old 512 here, the process's own where it has heap flags.
  if (store === 'pglite')
    test("the embedded store's thread shows its heap, within the ceiling it was started with", async () => {
      const families = await scrape();
      const used = valueOf(families, 'creditmeter_store_thread_heap_bytes', { kind: 'used' });
      const limit = valueOf(families, 'creditmeter_store_thread_heap_bytes', { kind: 'limit' });
      expect(used).toBeGreaterThan(0);
      expect(used).toBeLessThan(limit);
      expect(limit / 2 ** 20).toBeLessThanOrEqual(600);
    });

  test('events move the event counters, the group commits and the request durations by route', async () => {
    const before = await scrape();
    const beforeText = text;
    const chat = { id: 'm1', account: 'acme', type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } };
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '1000', reference: 'start' });
    expect((await server.call('POST', '/v1/events', chat)).status).toBe(201);
    expect((await server.call('POST', '/v1/events', chat)).status).toBe(200);
    const fax = await server.call('POST', '/v1/events', { ...chat, id: 'm2', type: 'fax' });
    expect([fax.status, fax.body.error.field]).toEqual([422, 'type']);
    const after = await scrape();
    const afterText = text;
    const moved = (labels: Record<string, string>) => valueOf(after, 'creditmeter_events_total', labels) - valueOf(before, 'creditmeter_events_total', labels);
    expect([moved({ type: 'chat', outcome: 'accepted' }), moved({ type: 'chat', outcome: 'duplicate' })]).toEqual([1, 1]);
    // A type the catalog does not know is counted, but does not become a label of its own.
    expect(moved({ type: '(unknown)', outcome: 'rejected' })).toBe(1);
    expect(afterText).not.toContain('type="fax"');
    const commits = (scraped: string) => Number(/^creditmeter_group_commit_events_count (\d+)$/m.exec(scraped)?.[1] ?? 0);
    expect(commits(afterText) - commits(beforeText)).toBeGreaterThanOrEqual(2);
    const requests = (scraped: string, status: string) => countOf(scraped, 'http_request_duration_seconds', { method: 'POST', route: '/v1/events', status });
    expect(requests(afterText, '201') - requests(beforeText, '201')).toBe(1);
    expect(requests(afterText, '422') - requests(beforeText, '422')).toBe(1);
    // Ids stay out of the route label: the pattern is counted, not the path.
    await server.call('GET', '/v1/accounts/acme/balance');
    await scrape();
    expect(countOf(text, 'http_request_duration_seconds', { route: '/v1/accounts/:id/balance', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/v1/accounts/acme/balance');
  });

  test('a webhook that cannot be delivered shows as pending and as a retrying attempt', async () => {
    await server.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['topup.succeeded'] });
    const before = await scrape();
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '5', reference: 'second' });
    expect(valueOf(await scrape(), 'creditmeter_outbox_pending')).toBe(1);
    await server.dispatcher.wake();
    const after = await scrape();
    expect(valueOf(after, 'creditmeter_webhook_deliveries_total', { outcome: 'retrying' }) - valueOf(before, 'creditmeter_webhook_deliveries_total', { outcome: 'retrying' })).toBe(1);
    expect(valueOf(after, 'creditmeter_outbox_pending')).toBe(1);
  });

  test('a cycle closing counts', async () => {
    const before = valueOf(await scrape(), 'creditmeter_cycle_closings_total', { outcome: 'closed' });
    server.clock.advance(32 * 24 * 60 * 60 * 1000);
    await server.call('POST', '/v1/accounts/acme/cycles/close');
    expect(valueOf(await scrape(), 'creditmeter_cycle_closings_total', { outcome: 'closed' }) - before).toBe(1);
  });

  test('/metrics takes the API key or the metrics token; the metrics token opens nothing else', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await scrape(metricsToken)).has('creditmeter_events_total')).toBe(true);
    expect((await fetch(`${server.url}/v1/accounts`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(401);
  });

  test('one log line per request, with the caller\'s request id returned, the caller and the status; no key, no query', async () => {
    const response = await fetch(`${server.url}/v1/accounts/acme/ledger?limit=5`, { headers: { authorization: `Bearer ${server.apiKey}`, 'x-request-id': 'order-7f3a' } });
    expect(response.headers.get('x-request-id')).toBe('order-7f3a');
    const line = lines.find((l) => l['reqId'] === 'order-7f3a');
    expect(line).toMatchObject({ level: 30, caller: 'admin', req: { method: 'GET', path: '/v1/accounts/acme/ledger' }, res: { status: 200 } });
    expect(typeof line!['responseTime']).toBe('number');

    // An id that is not a sane token is replaced by a new one.
    const made = await fetch(`${server.url}/v1/health`, { headers: { 'x-request-id': 'two words' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await fetch(`${server.url}/v1/accounts`, { headers: { authorization: 'Bearer not-the-key-123' } });
    expect(refused.status).toBe(401);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(server.apiKey);
    expect(all).not.toContain('not-the-key-123');
    expect(all).not.toContain('limit=5');
  });
});
