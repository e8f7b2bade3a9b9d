// Embedded PostgreSQL (PGlite) in a data folder: the default store when no DATABASE_URL is set.
// PGlite runs one query at a time in-process, so its transactions are serialized by PGlite itself.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Row } from './Database';

/** BIGINT as a string, as pg returns it, so that both stores hand back the same shapes. */
const INT8_OID = 20;

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => value } });
  return {
    kind: 'pglite',
    parallelWrites: 1,
    async query<T extends Row>(sql: string, params?: readonly unknown[]) {
      return (await db.query<T>(sql, params as unknown[] | undefined)).rows;
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({ query: async <T extends Row>(sql: string, params?: readonly unknown[]) => (await tx.query<T>(sql, params as unknown[] | undefined)).rows }),
      ),
    // One process owns an embedded store, so its notifications cannot be missed.
    listen: (channel, handlers) => db.listen(channel, (payload) => handlers.onMessage(payload)).then((stop) => () => stop()),
    close: () => db.close(),
  };
}
