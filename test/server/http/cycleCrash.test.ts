// Closing a cycle is one transaction: a server killed (kill -9) in the middle of it leaves nothing
// behind, and the next processes close it exactly once. Credits preset, Starter: 150,000 credits a
// cycle; a mobile number 60,000 a month.
import { Client } from 'pg';
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { openStore, startServer } from '../../../server/src/server';
import { startProcess } from '../support/processes';
import { createPostgresDatabase, TestClock } from '../support/servers';
import { waitFor } from '../../support/eventually';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const until = (check: () => Promise<boolean>, what: string) => waitFor(check, { message: what, timeoutMs: 20_000, intervalMs: 50 });

test('kill -9 in the middle of closing cycles: after restart each cycle is closed once', async () => {
  const database = await createPostgresDatabase();
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  const processes: Awaited<ReturnType<typeof startProcess>>[] = [];
  try {
    // An account opened about 75 days ago, while no server ran since: two or three cycles are due.
    const opened = new Date(Math.floor((Date.now() - 75 * DAY) / HOUR) * HOUR);
    const db = await openStore({ databaseUrl: database.url });
    const past = await startServer({ db, catalog: loadCatalog('credits'), clock: new TestClock(opened), cycleCheckMs: 0 });
    const call = (path: string, body: unknown) =>
      fetch(`${past.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${past.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call('/v1/accounts', { id: 'acct', name: 'Acct', plan: 'starter' })).status).toBe(201);
    expect((await call('/v1/accounts/acct/phone-numbers', { number: '+4915100000001', type: 'mobile', country: 'DE' })).status).toBe(201);
    await past.close();
    await db.close();

    // The first process blocks inside its closing transaction (the test holds the closings table),
    // and is killed there.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE cycle_closings IN ACCESS EXCLUSIVE MODE');
    const first = await startProcess(database.url);
    processes.push(first);
    await until(async () => {
      const rows = await admin.query(`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'cycle_closings' AND NOT l.granted`);
      return rows.rowCount! > 0;
    }, 'the closing to block on the closings table');
    first.child.kill('SIGKILL');
    await admin.query('ROLLBACK');
    // Nothing of the killed closing was committed.
    await until(async () => (await admin.query(`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'cycle_closings' AND l.pid <> pg_backend_pid()`)).rowCount === 0, 'the dead closing to end');
    expect((await admin.query('SELECT count(*)::int AS n FROM cycle_closings')).rows[0].n).toBe(0);
    expect((await admin.query(`SELECT balance::text FROM accounts WHERE id = 'acct'`)).rows[0].balance).toBe('90000');

    // Two processes start at once; between them every due cycle closes, once.
    processes.push(...(await Promise.all([startProcess(database.url), startProcess(database.url)])));
    await until(async () => (await admin.query(`SELECT cycle_end > now() AS done FROM accounts WHERE id = 'acct'`)).rows[0].done, 'the cycles to close');

    const closings = (await admin.query(`SELECT cycle_start FROM cycle_closings WHERE account_id = 'acct' ORDER BY cycle_start`)).rows;
    expect(closings.length).toBeGreaterThanOrEqual(2);
    expect(closings.length).toBeLessThanOrEqual(3);
    const packages = (await admin.query(`SELECT reference FROM ledger_entries WHERE kind = 'plan_credits' AND reference LIKE 'cycle:%'`)).rows;
    const rents = (await admin.query(`SELECT reference FROM ledger_entries WHERE kind = 'fee' AND reference LIKE '%:%'`)).rows;
    expect(packages).toHaveLength(closings.length);
    expect(rents).toHaveLength(closings.length);
    // Each closing lapses the rest of the old package and pays the new rent from the new one.
    expect((await admin.query(`SELECT balance::text FROM accounts WHERE id = 'acct'`)).rows[0].balance).toBe('90000');
  } finally {
    for (const p of processes) p.child.kill('SIGKILL');
    await admin.end();
    await database.drop();
  }
}, 90_000);
