// Starts real creditmeter servers for tests, on embedded PGlite or on a fresh PostgreSQL database
// of the machine's server, with a clock the test controls.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Database } from '../../../server/src/store/Database';
import { openStore, startServer, type RunningServer } from '../../../server/src/server';
import type { Clock } from '../../../server/src/usecases/Context';

export const STORES = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORES)[number];

export const POSTGRES_ADMIN_URL = process.env['CREDITMETER_TEST_POSTGRES'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: string | Date): void {
    this.current = new Date(at);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/** A new, empty PostgreSQL database; dropped by the returned function. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `creditmeter_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

export interface TestServer extends RunningServer {
  db: Database;
  clock: TestClock;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  store: StoreKind,
  options: { catalog?: string; now?: string } = {},
): Promise<TestServer> {
  const clock = new TestClock(new Date(options.now ?? '2026-03-01T00:00:00Z'));
  const postgres = store === 'postgres' ? await createPostgresDatabase() : undefined;
  const db = await openStore({ databaseUrl: postgres?.url });
  const server = await startServer({ db, catalog: loadCatalog(options.catalog ?? 'credits'), clock, apiKey: 'test-key-0123456789abcdef' });
  return {
    ...server,
    db,
    clock,
    async call(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await server.close();
      await db.close();
      await postgres?.drop();
    },
  };
}
