// Two server processes on one PostgreSQL database, hammering the same accounts with the same
// event ids at once: no double charge, no lost event, and every balance equals its ledger.
import type { ChildProcess } from 'node:child_process';
import { post, startProcess } from '../support/processes';
import { createPostgresDatabase } from '../support/servers';
import { waitFor } from '../../support/eventually';

describe('two server processes on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let servers: { url: string; child: ChildProcess }[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    servers = await Promise.all([startProcess(database.url), startProcess(database.url)]);
  });
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await database.drop();
  });

  test('concurrent duplicates, batches and top-ups across both processes are each applied exactly once', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    const accounts = ['acc-1', 'acc-2', 'acc-3', 'acc-4'];
    for (const id of accounts) expect((await post(a.url, '/v1/accounts', { id, name: id, plan: 'payg' })).status).toBe(201);

    const now = new Date().toISOString();
    // 600 distinct events (each 1,000 input tokens = 40 credits), every one sent to both processes.
    const events = Array.from({ length: 600 }, (_, i) => ({
      id: `evt-${i}`,
      account: accounts[i % accounts.length],
      type: 'chat',
      timestamp: now,
      data: { input_tokens: 1000, output_tokens: 0 },
    }));
    const singles = events.slice(0, 200);
    const batched = events.slice(200);
    const work: Promise<unknown>[] = [];
    for (const event of singles) work.push(post(a.url, '/v1/events', event), post(b.url, '/v1/events', event));
    for (let i = 0; i < batched.length; i += 100) {
      const chunk = batched.slice(i, i + 100);
      work.push(post(a.url, '/v1/events/batch', { events: chunk }), post(b.url, '/v1/events/batch', { events: [...chunk].reverse() }));
    }
    // Top-ups race too: the same reference through both processes, twice each.
    for (const id of accounts) {
      for (const url of [a.url, b.url, a.url, b.url]) work.push(post(url, `/v1/accounts/${id}/topups`, { amount: '5000', reference: `pay-${id}` }));
    }
    await Promise.all(work);

    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const stored = await client.query('SELECT count(*)::int AS n FROM usage_events');
      expect(stored.rows[0].n).toBe(600);
      const topups = await client.query('SELECT count(*)::int AS n FROM topups');
      expect(topups.rows[0].n).toBe(4);
      const perEvent = await client.query(
        `SELECT e.id, e.cost, coalesce(-sum(l.amount), 0) AS charged FROM usage_events e
         LEFT JOIN ledger_entries l ON l.account_id = e.account_id AND l.event_id = e.id GROUP BY e.account_id, e.id, e.cost`,
      );
      for (const row of perEvent.rows) expect(row.charged).toBe(row.cost);
      const balances = await client.query(
        `SELECT a.id, a.balance::text, a.debt::text, (SELECT sum(amount) FROM ledger_entries l WHERE l.account_id = a.id)::text AS ledger FROM accounts a ORDER BY a.id`,
      );
      for (const row of balances.rows) {
        // 150 events of 40 credits against one top-up of 5,000: exactly 5,000 - 6,000 = -1,000.
        expect(row).toEqual({ id: row.id, balance: '-1000', debt: '1000', ledger: '-1000' });
      }
      // Both processes fold rollup increments on their own timers, one fold at a time: each lands once.
      const waiting = async () => (await client.query('SELECT count(*)::int AS n FROM usage_rollup_increments')).rows[0].n as number;
      await waitFor(waiting, { until: (left) => left === 0, timeoutMs: 10_000, intervalMs: 100, message: 'every rollup increment to be folded' });
      expect(await waiting()).toBe(0);
      const rollups = await client.query(
        `SELECT (SELECT sum(amount) FROM usage_rollups)::text AS hourly, (SELECT sum(amount) FROM usage_rollups_daily)::text AS daily,
           (SELECT sum(charges) FROM usage_rollups_daily WHERE service = 'chat_input_tokens')::int AS inputs`,
      );
      // 600 events of 40 credits each.
      expect(rollups.rows[0]).toEqual({ hourly: '24000', daily: '24000', inputs: 600 });
      const chains = await client.query(
        `SELECT account_id, amount, balance_after, lag(balance_after) OVER (PARTITION BY account_id ORDER BY seq) AS before FROM ledger_entries`,
      );
      for (const row of chains.rows) {
        const before = row.before === null ? 0n : BigInt(row.before);
        expect(BigInt(row.balance_after)).toBe(before + BigInt(row.amount));
      }
    } finally {
      await client.end();
    }
  });

  test('authorize in one process sees a top-up made through the other (its remembered account is forgotten)', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    expect((await post(a.url, '/v1/accounts', { id: 'auth-1', name: 'Auth', plan: 'payg' })).status).toBe(201);
    const call = { type: 'call', data: { duration_seconds: 60 } };
    // Asked twice so that process b answers the second time from memory.
    for (let i = 0; i < 2; i += 1) expect((await post(b.url, '/v1/accounts/auth-1/authorize', call)).body).toMatchObject({ allowed: false, balance: '0' });

    expect((await post(a.url, '/v1/accounts/auth-1/topups', { amount: '10000', reference: 'pay-auth' })).status).toBe(201);
    // The change reaches b by NOTIFY after a's commit; a client may ask b before it arrives.
    const answer = await waitFor(async () => (await post(b.url, '/v1/accounts/auth-1/authorize', call)).body, {
      until: (body) => body.balance === '10000',
      timeoutMs: 2000,
      message: 'process b to answer from the top-up made through a',
    });
    expect(answer).toMatchObject({ allowed: true, balance: '10000' });
    // The process that wrote the change answers from it at once.
    expect((await post(a.url, '/v1/accounts/auth-1/authorize', call)).body).toMatchObject({ allowed: true, balance: '10000' });
  });

  test('ten calls reserved through both processes at once on credit for three: three are admitted, and both see the holds', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    expect((await post(a.url, '/v1/accounts', { id: 'res-1', name: 'Reservations', plan: 'payg' })).status).toBe(201);
    expect((await post(a.url, '/v1/accounts/res-1/topups', { amount: '1500', reference: 'pay-res' })).status).toBe(201);
    // Five minutes of a call that uses no tokens hold 475 credits: 3 × 475 fits in 1,500, 4 × 475 does not.
    const fiveMinutes = { type: 'call', estimate: { duration_seconds: 300, input_tokens: 0, output_tokens: 0 } };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post((i % 2 === 0 ? a : b).url, '/v1/accounts/res-1/reservations', fiveMinutes)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 422 && r.body.error.code === 'insufficient_balance')).toHaveLength(7);

    const call = { type: 'call', data: { duration_seconds: 60, input_tokens: 0, output_tokens: 0 } }; // 95 credits: more than the 75 left
    // Both processes see the three holds, within two seconds of the reservations.
    const deadline = Date.now() + 2000;
    for (const server of [a, b]) {
      const answer = await waitFor(async () => (await post(server.url, '/v1/accounts/res-1/authorize', call)).body, {
        until: (body) => body.held === '1425',
        timeoutMs: Math.max(0, deadline - Date.now()),
        message: `${server.url} to see the three holds`,
      });
      expect(answer).toMatchObject({ allowed: false, balance: '1500', held: '1425', available: '75' });
    }
  });
});

describe('two server processes on one PostgreSQL, minutes preset', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let servers: { url: string; child: ChildProcess }[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    servers = await Promise.all([startProcess(database.url, { CREDITMETER_CATALOG: 'minutes' }), startProcess(database.url, { CREDITMETER_CATALOG: 'minutes' })]);
  });
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await database.drop();
  });

  test('authorize in one process sees an add-on of minutes bought through the other, though no balance moved', async () => {
    const [a, b] = [servers[0]!, servers[1]!];
    expect((await post(a.url, '/v1/accounts', { id: 'extras-1', name: 'Extras', plan: 'starter' })).status).toBe(201);
    // Starter includes 500 minutes: a call of 500 minutes uses them up.
    const at = new Date().toISOString();
    expect((await post(a.url, '/v1/events', { id: 'long', account: 'extras-1', type: 'call', timestamp: at, data: { duration_seconds: 30_000 } })).status).toBe(201);
    const call = { type: 'call', data: { duration_seconds: 60 } };
    // Asked twice so that process b answers the second time from memory: beyond the allowance, a minute costs.
    const before = (await post(b.url, '/v1/accounts/extras-1/authorize', call)).body;
    expect((await post(b.url, '/v1/accounts/extras-1/authorize', call)).body).toEqual(before);
    expect(before.estimatedCost).not.toBe('0');

    // 100 more minutes for the cycle: a plan change of the account's units, not of its balance.
    expect((await post(a.url, '/v1/accounts/extras-1/add-ons', { addOn: 'extra_minutes_100' })).status).toBe(201);
    const fresh = (await post(a.url, '/v1/accounts/extras-1/authorize', call)).body;
    expect(fresh.estimatedCost).not.toBe(before.estimatedCost);
    const answer = await waitFor(async () => (await post(b.url, '/v1/accounts/extras-1/authorize', call)).body, {
      until: (body) => body.estimatedCost === fresh.estimatedCost,
      timeoutMs: 2000,
      message: 'process b to price the call with the add-on bought through a',
    });
    expect(answer).toEqual(fresh);
  });
});
