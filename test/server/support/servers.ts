// Starts real creditmeter servers for tests, on embedded PGlite or on a fresh PostgreSQL database
// of the machine's server, with a clock the test controls.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import type { Database } from '../../../server/src/store/Database';
import { createScratchDatabase } from '../../../server/src/store/scratchPostgres';
import { openStore, startServer, type RunningServer } from '../../../server/src/server';
import type { Clock } from '../../../server/src/usecases/Context';
import { WEBHOOK_MESSAGES } from '../../../server/src/domain/webhooks/WebhookMessages';
import type { WebhookEventType } from '../../../server/src/domain/webhooks/WebhookEvent';

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
export function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createScratchDatabase(POSTGRES_ADMIN_URL, 'creditmeter_test');
}

export interface TestServer extends RunningServer {
  db: Database;
  clock: TestClock;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  store: StoreKind,
  options: {
    catalog?: string;
    now?: string;
    cycleCheckMs?: number;
    rollupFoldMs?: number;
    webhooks?: Parameters<typeof startServer>[0]['webhooks'];
    trustProxy?: string;
    log?: Parameters<typeof startServer>[0]['log'];
    metricsToken?: string;
    rateLimit?: Parameters<typeof startServer>[0]['rateLimit'];
  } = {},
): Promise<TestServer> {
  const clock = new TestClock(new Date(options.now ?? '2026-03-01T00:00:00Z'));
  const postgres = store === 'postgres' ? await createPostgresDatabase() : undefined;
  const db = await openStore({ databaseUrl: postgres?.url });
  // Cycles close when a test asks (POST …/cycles/close): a timer would close them at moments the
  // test's clock does not control. Rollups fold when a test asks, too (server.rollups.check()).
  const server = await startServer({
    db,
    catalog: loadCatalog(options.catalog ?? 'credits'),
    clock,
    apiKey: 'test-key-0123456789abcdef',
    cycleCheckMs: options.cycleCheckMs ?? 0,
    rollupFoldMs: options.rollupFoldMs ?? 0,
    webhooks: options.webhooks,
    trustProxy: options.trustProxy,
    log: options.log,
    metricsToken: options.metricsToken,
    rateLimit: options.rateLimit,
  });
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
      // Every test server's messages are checked, so the whole suite's webhooks match their schemas.
      const malformed = await malformedMessages(db);
      await server.close();
      await db.close();
      await postgres?.drop();
      if (malformed.length > 0) throw new Error(`webhook messages that do not match their schema:\n${malformed.join('\n')}`);
    },
  };
}

/** Each message in the outbox that its type's schema (strict: no unknown key) refuses, with zod's reasons. */
async function malformedMessages(db: Database): Promise<string[]> {
  const rows = await db.query<{ id: string; type: WebhookEventType; data: unknown }>('SELECT id, type, data FROM outbox_messages ORDER BY id');
  return rows.flatMap((row) => {
    const schema = WEBHOOK_MESSAGES[row.type];
    if (!schema) return [`${row.id}: unknown type ${row.type}`];
    const parsed = schema.safeParse(row.data);
    return parsed.success ? [] : [`${row.type} ${row.id}: ${parsed.error.message}`];
  });
}
