// Several reads in one statement, on both stores: each part gets its own rows back, parameters
// numbered across parts, decimals to the last digit (as text), timestamps as Dates, JSON as data.
import { jsonDate, readTogether } from '../../../server/src/store/Reads';
import type { Database } from '../../../server/src/store/Database';
import { openStore } from '../../../server/src/server';
import { createPostgresDatabase, STORES } from '../support/servers';

describe.each(STORES)('readTogether on %s', (store) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const postgres = store === 'postgres' ? await createPostgresDatabase() : undefined;
    drop = postgres?.drop;
    db = await openStore({ databaseUrl: postgres?.url });
    await db.query(`CREATE TABLE probe (id text, amount numeric, at timestamptz, data jsonb)`);
    await db.query(
      `INSERT INTO probe VALUES ('a', 1234567890123.123456789012, '2026-03-01T10:15:30.123Z', '{"input_tokens": 1200, "assistant": "support"}'),
                                ('b', 0.000000000001, '2026-03-02T00:00:00Z', '[]')`,
    );
  });
  afterAll(async () => {
    await db.close();
    await drop?.();
  });

  test('two parts with their own parameters, one part empty, in one statement', async () => {
    const read = await readTogether(db, {
      first: {
        sql: (p) => `SELECT id, amount::text AS amount, at, data FROM probe WHERE id = ${p('a')}`,
        map: (rows) => rows.map((row) => ({ ...row, at: jsonDate(row['at']) })),
      },
      second: {
        sql: (p) => `SELECT id, amount::text AS amount FROM probe WHERE id = ANY(${p(['b', 'z'])}::text[]) AND amount < ${p('1')}`,
        map: (rows) => rows,
      },
      none: { sql: (p) => `SELECT id FROM probe WHERE id = ${p('nobody')}`, map: (rows) => rows },
    });
    expect(read.first).toEqual([
      { id: 'a', amount: '1234567890123.123456789012', at: new Date('2026-03-01T10:15:30.123Z'), data: { input_tokens: 1200, assistant: 'support' } },
    ]);
    expect(read.second).toEqual([{ id: 'b', amount: '0.000000000001' }]);
    expect(read.none).toEqual([]);
  });
});
