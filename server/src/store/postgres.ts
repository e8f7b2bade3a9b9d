// PostgreSQL through pg: a pool, and transactions retried when PostgreSQL reports a deadlock or a
// serialization failure (both are safe to retry: nothing of the failed attempt was committed).
import { Client, Pool, type PoolClient } from 'pg';
import type { Database, Listener, Queryable, Row } from './Database';

/** Connections per process; two processes on one server stay well under max_connections (100). */
const POOL_SIZE = 16;
/**
 * Transactions worth running at once for one large group of events: while PostgreSQL writes one
 * part, this process rates the next (measured with `npm run bench`).
 */
const PARALLEL_WRITES = 2;
/** Retries of a transaction that lost a deadlock or serialization race. */
const TRANSACTION_RETRIES = 5;
const RETRYABLE = new Set(['40001', '40P01']);
/** Wait before a broken listening connection is opened again. */
const RELISTEN_DELAY_MS = 1000;

export function openPostgres(url: string): Database {
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  // An idle connection that the server closes (restart, failover) is dropped from the pool and
  // replaced on the next query; without a listener pg would throw the error at the process.
  pool.on('error', () => undefined);
  const on = (client: Pool | PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as T[];
    },
  });
  return {
    kind: 'postgres',
    parallelWrites: PARALLEL_WRITES,
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
    listen: (channel, handlers) => listen(url, channel, handlers),
    pressure: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    threadHeap: async () => undefined,
    close: () => pool.end(),
  };
}

/** LISTEN needs a connection of its own that stays open; pooled connections come and go. */
async function listen(url: string, channel: string, handlers: Listener): Promise<() => Promise<void>> {
  let client: Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? '');
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    await next.connect();
    await next.query(`LISTEN ${JSON.stringify(channel)}`);
    client = next;
    handlers.onListening();
  };
  const lost = (broken: Client): void => {
    if (stopped || client !== broken) return;
    client = undefined;
    handlers.onLost();
    broken.end().catch(() => undefined);
    const again = (): void => {
      retry = setTimeout(() => void connect().catch(again), RELISTEN_DELAY_MS);
    };
    again();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end();
  };
}
