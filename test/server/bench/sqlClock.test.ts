// The bench's SQL clock: the time during which at least one statement was under way, counting
// statements that overlap (a rollup fold beside an ingestion) once, inside transactions too.
import { sqlClock } from '../../../server/src/store/sqlClock';
import type { Database, Queryable } from '../../../server/src/store/Database';

/** A store whose statements finish when the test says so, named by their SQL. */
function heldStore() {
  const pending = new Map<string, () => void>();
  const query = ((sql: string) =>
    new Promise((resolve) => {
      pending.set(sql, () => resolve([]));
    })) as Queryable['query'];
  const db: Database = {
    kind: 'pglite',
    parallelWrites: 1,
    query,
    transaction: (work) => work({ query }),
    listen: async () => async () => undefined,
    pressure: () => ({ inUse: 0, waiting: 0 }),
    threadHeap: async () => undefined,
    close: async () => undefined,
  };
  const finish = async (sql: string) => {
    pending.get(sql)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { db, finish };
}

describe('the SQL clock of the bench', () => {
  test('two statements that overlap count once: from the first start to the last end', async () => {
    let time = 0;
    const { db, finish } = heldStore();
    const clock = sqlClock(db, () => time);
    const first = clock.db.query('first');
    time = 10;
    const second = clock.db.transaction((tx) => tx.query('second'));
    time = 30;
    await finish('first');
    time = 45;
    await finish('second');
    await Promise.all([first, second]);
    expect(clock.busyMs()).toBe(45);
  });

  test('the gaps between statements are not counted', async () => {
    let time = 100;
    const { db, finish } = heldStore();
    const clock = sqlClock(db, () => time);
    const first = clock.db.query('first');
    time = 104;
    await finish('first');
    await first;
    time = 200;
    const second = clock.db.query('second');
    time = 203;
    await finish('second');
    await second;
    time = 500;
    expect(clock.busyMs()).toBe(7);
  });

  test('a reset forgets what went before, and a statement under way counts from the reset', async () => {
    let time = 0;
    const { db, finish } = heldStore();
    const clock = sqlClock(db, () => time);
    const done = clock.db.query('done');
    time = 50;
    await finish('done');
    await done;
    const running = clock.db.query('running');
    time = 60;
    clock.reset();
    time = 65;
    expect(clock.busyMs()).toBe(5);
    time = 70;
    await finish('running');
    await running;
    expect(clock.busyMs()).toBe(10);
  });
});
