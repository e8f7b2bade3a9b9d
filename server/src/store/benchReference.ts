// The bench's own tables and counts: its reference for batch ingestion (the same rows as stored,
// written by a bare multi-row INSERT into a copy of usage_events) and the rollup rows the report
// bench prints. Used by `npm run bench` only.
import type { Database, Queryable } from './Database';

export interface BareEventRow {
  account: string;
  id: string;
  type: string;
  data: string;
  cost: string;
  charges: string;
}

export async function createBareEventsTable(db: Queryable): Promise<void> {
  await db.query('CREATE TABLE bench_bare (LIKE usage_events INCLUDING ALL)');
}

/** One transaction, one statement: the least any store can do to keep these rows. */
export async function insertBareEvents(db: Database, rows: readonly BareEventRow[]): Promise<void> {
  const values = rows.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, now(), now(), $${i * 6 + 4}::jsonb, NULL, $${i * 6 + 5}::numeric, $${i * 6 + 6}::jsonb)`);
  await db.transaction((tx) => tx.query(`INSERT INTO bench_bare VALUES ${values.join(', ')}`, rows.flatMap((r) => [r.account, r.id, r.type, r.data, r.cost, r.charges])));
}

export async function countRollupRows(db: Queryable, table: 'usage_rollups' | 'usage_rollups_daily', accountId: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE account_id = $1`, [accountId]);
  return Number(row!.n);
}
