// PGlite runs parameterised SQL as named prepared statements: the same answers as PGlite's own
// query() for every type we send, errors that leave the store usable (a transaction begins with its
// first statement, so one failing there too), statements evicted past the cap, and notifications
// still delivered.
import { openStore } from '../../../server/src/server';
import type { Database } from '../../../server/src/store/Database';
import { waitFor } from '../../support/eventually';

describe('prepared statements on PGlite', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openStore({});
    await db.query('CREATE TABLE probe (id text PRIMARY KEY, amount numeric NOT NULL, at timestamptz, tags text[], data jsonb)');
  });
  afterAll(() => db.close());

  test('the same statement run again answers for its new values, every type round-trips', async () => {
    const insert = 'INSERT INTO probe (id, amount, at, tags, data) VALUES ($1, $2::numeric, $3::timestamptz, $4::text[], $5::jsonb) RETURNING amount::text AS amount, at, tags, data';
    const first = await db.query(insert, ['a', '1234567890123.123456789012', '2026-03-01T10:15:30.123Z', ['x', 'y, "z"'], JSON.stringify({ input_tokens: 1200 })]);
    const second = await db.query(insert, ['b', '0.000000000001', null, [], JSON.stringify([])]);
    expect(first).toEqual([{ amount: '1234567890123.123456789012', at: new Date('2026-03-01T10:15:30.123Z'), tags: ['x', 'y, "z"'], data: { input_tokens: 1200 } }]);
    expect(second).toEqual([{ amount: '0.000000000001', at: null, tags: [], data: [] }]);
  });

  test('a failed statement rolls its transaction back and the statement runs again afterwards', async () => {
    const insert = 'INSERT INTO probe (id, amount) VALUES ($1, $2::numeric)';
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['c', '3']);
        await tx.query(insert, ['a', '4']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.query('SELECT id FROM probe WHERE id = $1', ['c'])).toEqual([]);
    await db.transaction((tx) => tx.query(insert, ['c', '3']));
    expect(await db.query('SELECT amount::text AS amount FROM probe WHERE id = $1', ['c'])).toEqual([{ amount: '3' }]);
  });

  test('a transaction whose first statement fails (it begins with it) is rolled back, and the next one commits', async () => {
    const insert = 'INSERT INTO probe (id, amount) VALUES ($1, $2::numeric)';
    await expect(db.transaction((tx) => tx.query(insert, ['d', 'not a number']))).rejects.toThrow(/invalid input syntax for type numeric/);
    await expect(db.transaction((tx) => tx.query('SELEC 1'))).rejects.toThrow(/syntax error/);
    await db.transaction((tx) => tx.query(insert, ['d', '5']));
    expect(await db.query('SELECT amount::text AS amount FROM probe WHERE id = $1', ['d'])).toEqual([{ amount: '5' }]);
  });

  test('a transaction that runs no statement changes nothing and holds nothing', async () => {
    await expect(db.transaction(async () => 'nothing asked')).resolves.toBe('nothing asked');
    await expect(
      db.transaction(async () => {
        throw new Error('given up before any statement');
      }),
    ).rejects.toThrow('given up before any statement');
    expect(await db.transaction((tx) => tx.query('SELECT count(*)::int AS n FROM probe WHERE id = ANY($1::text[])', [['a', 'b', 'd']]))).toEqual([{ n: 3 }]);
  });

  test('a value refused in the middle of the exchange throws its error, and the same statement answers next', async () => {
    const read = 'SELECT $1::numeric + 1 AS n';
    await expect(db.query(read, ['one'])).rejects.toThrow(/invalid input syntax for type numeric/);
    expect(await db.query(read, ['1'])).toEqual([{ n: '2' }]);
  });

  test('a statement that does not parse throws, and the store answers the next one', async () => {
    await expect(db.query('SELEC id FROM probe WHERE id = $1', ['a'])).rejects.toThrow(/syntax error/);
    expect(await db.query('SELECT count(*)::int AS n FROM probe WHERE id = ANY($1::text[])', [['a', 'b', 'c']])).toEqual([{ n: 3 }]);
  });

  test('more distinct statements than are kept: each still answers, old ones are prepared again', async () => {
    for (let i = 0; i < 520; i += 1) {
      expect(await db.query(`SELECT $1::int + ${i} AS n`, [1])).toEqual([{ n: i + 1 }]);
    }
    expect(await db.query('SELECT $1::int + 0 AS n', [41])).toEqual([{ n: 41 }]);
  });

  test('a NOTIFY sent by a prepared statement reaches the listener', async () => {
    const received: string[] = [];
    const stop = await db.listen('probe_channel', { onMessage: (payload) => received.push(payload), onLost: () => undefined, onListening: () => undefined });
    await db.query('SELECT pg_notify($1, $2)', ['probe_channel', 'outside']);
    await db.transaction((tx) => tx.query('SELECT pg_notify($1, $2)', ['probe_channel', 'inside']));
    await waitFor(() => received.length >= 2, { message: 'both notifications to reach the listener', show: () => received });
    await stop();
    expect(received).toEqual(['outside', 'inside']);
  });
});
