// Embedded PostgreSQL (PGlite) in a data folder: the default store when no DATABASE_URL is set.
// PGlite runs one query at a time in-process, so its transactions are serialized by PGlite itself.
import { PGlite } from '@electric-sql/pglite';
import type { Database, Row } from './Database';
import { PgliteStatements } from './pgliteStatements';
import { lockDataFolder } from './dataFolderLock';
import { PGLITE_SETTINGS } from './pgliteSettings';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** BIGINT as a string, as pg returns it, so that both stores hand back the same shapes. */
const INT8_OID = 20;

/** The compiled set-up of a new folder; absent when running from the sources (tests), which set up in this process. */
const SET_UP = join(__dirname, 'pgliteSetUp.js');

/** `lockHeld`: the caller holds the folder's lock (the set-up process of openPglite's own). */
export async function openPglite(dataDir: string | undefined, options: { lockHeld?: boolean } = {}): Promise<Database> {
  let release = () => {};
  // Before PGlite reads a page: a second process must not even open the folder.
  if (dataDir && !options.lockHeld) release = lockDataFolder(dataDir, new Date());
  let db: PGlite;
  try {
    if (dataDir && !options.lockHeld && !existsSync(join(dataDir, 'PG_VERSION')) && existsSync(SET_UP)) await setUpInItsOwnProcess(dataDir);
    db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => value }, postgresqlconf: PGLITE_SETTINGS });
  } catch (error) {
    release();
    throw error;
  }
  const statements = new PgliteStatements(db);
  // PGlite runs one transaction at a time: the others wait in its queue.
  let transactions = 0;
  return {
    kind: 'pglite',
    parallelWrites: 1,
    // A statement with parameters is one the application runs again and again: prepared once. One
    // without (migrations, VACUUM) runs as PGlite runs it.
    async query<T extends Row>(sql: string, params?: readonly unknown[]) {
      return params?.length ? statements.query<T>(sql, params, false) : (await db.query<T>(sql)).rows;
    },
    transaction: async (work) => {
      transactions++;
      try {
        return await db.transaction((tx) =>
          work({
            query: async <T extends Row>(sql: string, params?: readonly unknown[]) =>
              params?.length ? statements.query<T>(sql, params, true) : (await tx.query<T>(sql)).rows,
          }),
        );
      } finally {
        transactions--;
      }
    },
    // One process owns an embedded store, so its notifications cannot be missed.
    listen: (channel, handlers) => db.listen(channel, (payload) => handlers.onMessage(payload)).then((stop) => () => stop()),
    pressure: () => ({ inUse: Math.min(transactions, 1), waiting: Math.max(transactions - 1, 0) }),
    close: async () => {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

async function setUpInItsOwnProcess(dataDir: string): Promise<void> {
  try {
    await run(process.execPath, [SET_UP, dataDir], { env: { ...process.env, NODE_OPTIONS: '' } });
  } catch (error) {
    throw new Error(`cannot set up the embedded store in ${dataDir}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}
