// The store a bench figure runs on, opened as the server opens it: PGlite on a data folder of its
// own (the default server's store; PGlite without a folder keeps every table in the process's
// memory, which no deployment does), or PostgreSQL at a URL. Closing it removes the folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../store/Database';
import { openStore } from '../server';

export interface BenchStore {
  db: Database;
  close(): Promise<void>;
}

export async function openBenchStore(databaseUrl: string | undefined): Promise<BenchStore> {
  const dataDir = databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'creditmeter-bench-'));
  const db = await openStore({ databaseUrl, dataDir });
  return {
    db,
    close: async () => {
      await db.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
