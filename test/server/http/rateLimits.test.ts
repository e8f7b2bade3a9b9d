// Rate limits per key (CREDITMETER_RATE_LIMIT): a token bucket of `burst` requests refilled at
// `perSecond`. A flood is answered 429 with Retry-After, held back the longer the further past its
// limit, writes nothing, and leaves other keys' buckets (a dashboard link's) untouched.
import { TokenBuckets } from '../../../server/src/http/rateLimit';
import { readConfig } from '../../../server/src/config';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe('a token bucket of 10 a second with bursts of 20', () => {
  test('takes 20 at once, then one every 100 ms', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 20 });
    for (let i = 0; i < 20; i++) expect(buckets.take('k', 0)).toBe(0);
    expect(buckets.take('k', 0)).toBe(100);
    expect(buckets.take('k', 50)).toBe(50);
    expect(buckets.take('k', 100)).toBe(0);
    // Another key has its own bucket.
    expect(buckets.take('other', 100)).toBe(0);
  });

  test('refills to the burst and no further', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 20 });
    for (let i = 0; i < 20; i++) buckets.take('k', 0);
    let taken = 0;
    while (buckets.take('k', 60_000) === 0) taken++;
    expect(taken).toBe(20);
  });
});

test('a key refused far past its limit has its refusals held back, up to a second; the hold fades as it calms down', () => {
  const buckets = new TokenBuckets({ perSecond: 10, burst: 1 });
  expect(buckets.take('k', 0)).toBe(0);
  expect(buckets.holdMs('k')).toBe(0);
  buckets.take('k', 0);
  // One refusal against 10 a second: 500 ms × 1/10.
  expect(buckets.holdMs('k')).toBe(50);
  for (let i = 0; i < 19; i++) buckets.take('k', 0);
  // Twenty refusals in the moment, twice the limit a second: the longest hold.
  expect(buckets.holdMs('k')).toBe(1000);
  for (let i = 0; i < 100; i++) buckets.take('k', 0);
  expect(buckets.holdMs('k')).toBe(1000);
  // Five quiet seconds later the 120 refusals count e^-5 of theirs (0.81), and the new one 1.
  buckets.take('k', 5000);
  buckets.take('k', 5000);
  expect(buckets.holdMs('k')).toBe(90);
  // Another key is not held for this one's flood.
  expect(buckets.holdMs('other')).toBe(0);
});

test('CREDITMETER_RATE_LIMIT reads "100" as 100 a second with bursts of 100, "100/300" with bursts of 300; nonsense stops the start', () => {
  expect(readConfig({ CREDITMETER_RATE_LIMIT: '100' }).CREDITMETER_RATE_LIMIT).toEqual({ perSecond: 100, burst: 100 });
  expect(readConfig({ CREDITMETER_RATE_LIMIT: '100/300' }).CREDITMETER_RATE_LIMIT).toEqual({ perSecond: 100, burst: 300 });
  expect(readConfig({}).CREDITMETER_RATE_LIMIT).toBeUndefined();
  expect(() => readConfig({ CREDITMETER_RATE_LIMIT: 'fast' })).toThrow(/^CREDITMETER_RATE_LIMIT: must be requests per second/);
  expect(() => readConfig({ CREDITMETER_RATE_LIMIT: '100/50' })).toThrow(/^CREDITMETER_RATE_LIMIT: must allow at least 1 a second/);
});

describe.each(STORES)('rate limits on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { rateLimit: { perSecond: 1, burst: 5 } });
  });
  afterAll(() => server.stop());

  test('a flood past the burst is answered 429 with Retry-After and writes nothing; a dashboard link keeps its own bucket', async () => {
    // The account and the link take two of the operator key's five tokens.
    expect((await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' })).status).toBe(201);
    const link = (await server.call('POST', '/v1/accounts/acme/dashboard-links', {})).body.token as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${server.url}/v1/accounts/acme/topups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: '1', reference: `flood-${i}` }),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.map((a) => a.headers.get('retry-after'))).toEqual(limited.map(() => '1'));
    expect(((await limited[0]!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    // The customer's dashboard link is another caller: its requests still go through.
    const dashboard = await fetch(`${server.url}/dashboard/api/summary`, { headers: { authorization: `Bearer ${link}` } });
    expect(dashboard.status).toBe(200);

    // Only the three admitted top-ups were written, and only their requests are in the audit log.
    // Nothing to wait for: every request has been answered, a refused one is refused before its
    // route or audit trail runs, and an admitted one commits its top-up and audit row before its 201.
    const topups = await server.db.query<{ reference: string }>(`SELECT reference FROM topups WHERE account_id = 'acme'`);
    expect(topups).toHaveLength(3);
    await server.audit.flush();
    const audited = await server.db.query<{ status: number }>(`SELECT status FROM audit_log WHERE route = '/v1/accounts/:id/topups'`);
    expect(audited.map((r) => r.status)).toEqual([201, 201, 201]);
  });
});
