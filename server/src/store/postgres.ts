// PostgreSQL through pg: a pool, and transactions retried when PostgreSQL reports a deadlock or a
// serialization failure (both are safe to retry: nothing of the failed attempt was committed).
import { Pool, type PoolClient } from 'pg';
import type { Database, Queryable, Row } from './Database';

/** Connections per process; two processes on one server stay well under max_connections (100). */
const POOL_SIZE = 16;
/** Retries of a transaction that lost a deadlock or serialization race. */
const TRANSACTION_RETRIES = 5;
const RETRYABLE = new Set(['40001', '40P01']);

export function openPostgres(url: string): Database {
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  const on = (client: Pool | PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as T[];
    },
  });
  return {
    kind: 'postgres',
    ...on(pool),
    async transaction(work) {
      for (let attempt = 0; ; attempt += 1) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(on(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (attempt < TRANSACTION_RETRIES && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
          throw error;
        } finally {
          client.release();
        }
      }
    },
    close: () => pool.end(),
  };
}
