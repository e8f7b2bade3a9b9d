// Embedded PGlite has no autovacuum: the upkeep job does its work, with PostgreSQL's own default
// thresholds, so that plans follow the tables as they grow and dead rows do not pile up.
import pino from 'pino';
import { TableUpkeep } from '../../../server/src/schedule/TableUpkeep';
import { openStore } from '../../../server/src/server';
import type { Database } from '../../../server/src/store/Database';
import { type TableActivity, tendTables, upkeepDue } from '../../../server/src/store/tableUpkeep';

const quiet = { table: 'public.t', rows: 10_000, dead: 0, insertedSinceVacuum: 0, changedSinceAnalyze: 0 } satisfies TableActivity;

describe('when autovacuum would act (PostgreSQL defaults)', () => {
  test('a table of 10,000 rows is analyzed after more than 1,050 changes (50 + 10%)', () => {
    expect(upkeepDue([{ ...quiet, changedSinceAnalyze: 1050 }], 0).tables).toEqual([]);
    expect(upkeepDue([{ ...quiet, changedSinceAnalyze: 1051 }], 0).tables).toEqual([{ table: 'public.t', vacuum: false, analyze: true }]);
  });

  test('it is vacuumed after more than 2,050 dead rows (50 + 20%)', () => {
    expect(upkeepDue([{ ...quiet, dead: 2050 }], 0).tables).toEqual([]);
    expect(upkeepDue([{ ...quiet, dead: 2051 }], 0).tables).toEqual([{ table: 'public.t', vacuum: true, analyze: false }]);
  });

  test('an append-only table of 10,000 rows is vacuumed after more than 3,000 inserts (1,000 + 20%), and analyzed with it', () => {
    expect(upkeepDue([{ ...quiet, insertedSinceVacuum: 3000, changedSinceAnalyze: 3000 }], 0).tables).toEqual([{ table: 'public.t', vacuum: false, analyze: true }]);
    expect(upkeepDue([{ ...quiet, insertedSinceVacuum: 3001, changedSinceAnalyze: 3001 }], 0).tables).toEqual([{ table: 'public.t', vacuum: true, analyze: true }]);
  });

  test('a table never analyzed counts as empty: 51 changes are enough', () => {
    const fresh = { ...quiet, rows: -1 };
    expect(upkeepDue([{ ...fresh, changedSinceAnalyze: 50 }], 0).tables).toEqual([]);
    expect(upkeepDue([{ ...fresh, changedSinceAnalyze: 51 }], 0).tables).toEqual([{ table: 'public.t', vacuum: false, analyze: true }]);
  });

  test('the whole database is vacuumed once its oldest transaction id is more than 200,000,000 transactions old', () => {
    expect(upkeepDue([], 200_000_000).vacuumDatabase).toBe(false);
    expect(upkeepDue([], 200_000_001).vacuumDatabase).toBe(true);
  });
});

describe('table upkeep on PGlite', () => {
  let db: Database;
  let upkeep: TableUpkeep;

  beforeAll(async () => {
    db = await openStore({});
    upkeep = new TableUpkeep(db, pino({ level: 'silent' }), 0);
    await db.query('CREATE TABLE probe_events (account text, id text, payload text, PRIMARY KEY (account, id))');
    await db.query("INSERT INTO probe_events SELECT 'a', 'e' || g, 'x' FROM generate_series(1, 10) g");
  });
  afterAll(() => db.close());

  /** The plan the store runs a prepared statement with now (the cached one, once it has settled on one). */
  async function planOf(sql: string, params: string): Promise<string> {
    const [statement] = await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [sql]);
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${statement!.name}(${params})`);
    return plan.map((line) => line['QUERY PLAN']).join('\n');
  }

  test('a lookup prepared while its table was small reads the index, not the whole table, once the table has grown', async () => {
    const lookup = 'SELECT e.id FROM probe_events e JOIN unnest($1::text[], $2::text[]) AS k(a, i) ON e.account = k.a AND e.id = k.i';
    for (let i = 0; i < 10; i += 1) await db.query(lookup, [['a', 'a'], ['e1', `e${i}`]]);
    await db.query("INSERT INTO probe_events SELECT 'a', 'f' || g, repeat('x', 200) FROM generate_series(1, 50000) g");
    expect(await planOf(lookup, "'{a}', '{f1}'")).toMatch(/Seq Scan on probe_events/);

    await upkeep.check();

    const plan = await planOf(lookup, "'{a}', '{f1}'");
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toMatch(/Index (Only )?Scan using probe_events_pkey/);
  });

  test('dead rows left by updates are vacuumed away', async () => {
    await db.query("UPDATE probe_events SET payload = 'y' WHERE id LIKE 'f1%'");
    const dead = async () => {
      await db.query('SELECT pg_stat_force_next_flush()');
      const [row] = await db.query<{ n: string }>("SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = 'probe_events'");
      return Number(row!.n);
    };
    expect(await dead()).toBeGreaterThan(10_000);

    await upkeep.check();

    expect(await dead()).toBe(0);
  });

  test('near wraparound every table is vacuumed, the quiet ones too', async () => {
    await db.query('CREATE TABLE probe_quiet (id int PRIMARY KEY)');
    const lastVacuum = async () => {
      await db.query('SELECT pg_stat_force_next_flush()');
      const [row] = await db.query<{ at: Date | null }>("SELECT last_vacuum AS at FROM pg_stat_user_tables WHERE relname = 'probe_quiet'");
      return row!.at;
    };
    expect(await lastVacuum()).toBeNull();

    await tendTables(db, { vacuumDatabase: true, tables: [] });

    // A date (read from the store's thread: a Date of another realm than the test's).
    expect(Object.prototype.toString.call(await lastVacuum())).toBe('[object Date]');
  });
});
