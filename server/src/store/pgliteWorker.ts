// The embedded store's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs every statement
// synchronously in the thread that holds it, so in the server's thread a statement of a large batch
// stalled every request behind it. Here it runs beside the event loop; the server's thread talks to
// it by messages (see pglite.ts), and a transaction holds the store from `begin` to `commit`.
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import type { Row } from './Database';
import { PGLITE_SETTINGS } from './pgliteSettings';
import { PgliteStatements } from './pgliteStatements';

/** What the server's thread asks; every request but `listen`'s notifications gets one answer with its id. */
export type Request =
  /** A statement; in transaction `tx` where given, which `begin` opens first. */
  | { id: number; op: 'query'; sql: string; params?: readonly unknown[]; tx?: number; begin?: true }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'close' };

export type Answer = { id: number; rows?: Row[]; error?: ThrownError } | { notification: number; payload: string };

/** An error as it crosses threads: PostgreSQL's fields (code, detail, constraint…) with its message. */
export interface ThrownError {
  message: string;
  name: string;
  fields: Record<string, string | number | boolean>;
}

export interface WorkerOptions {
  dataDir: string | undefined;
}

/** BIGINT as a string, as pg returns it, so that both stores hand back the same shapes. */
const INT8_OID = 20;
/** Thrown inside PGlite's transaction to roll it back when the server's thread asks. */
const ROLLBACK = Symbol('rollback');

/** A transaction the server's thread has begun: its statements, and how it ends. */
interface Open {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Commits (true) or rolls back; resolves once PGlite has ended it. */
  end(commit: boolean): Promise<void>;
}

async function main(): Promise<void> {
  const { dataDir } = workerData as WorkerOptions;
  const port = parentPort!;
  const db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: (value: string) => value }, postgresqlconf: PGLITE_SETTINGS });
  const statements = new PgliteStatements(db);
  const open = new Map<number, Open>();
  const listeners = new Map<number, () => Promise<void>>();

  // A transaction is PGlite's own (it holds the store until its callback returns): the callback
  // waits for the server's thread to say commit or roll back.
  const begin = (tx: number) =>
    new Promise<void>((started, failed) => {
      let decide!: (commit: boolean) => void;
      const decided = new Promise<boolean>((resolve) => (decide = resolve));
      const ended = db.transaction(async (t) => {
        open.set(tx, {
          // A statement with parameters is one the application runs again and again: prepared once.
          query: async (sql, params) => (params?.length ? statements.query(sql, params, true) : (await t.query<Row>(sql)).rows),
          end: async (commit) => {
            decide(commit);
            try {
              await ended;
            } catch (error) {
              if (error !== ROLLBACK) throw error;
            }
          },
        });
        started();
        if (!(await decided)) throw ROLLBACK;
      });
      // A BEGIN that fails fails the begin; a failure after it (at COMMIT) is the commit's to answer.
      ended.catch((error: unknown) => {
        if (!open.has(tx)) failed(error);
      });
    });

  const answer = async (request: Request): Promise<Row[] | undefined> => {
    switch (request.op) {
      case 'query': {
        if (request.tx === undefined)
          return request.params?.length ? statements.query(request.sql, request.params, false) : (await db.query<Row>(request.sql)).rows;
        if (request.begin) await begin(request.tx);
        return open.get(request.tx)!.query(request.sql, request.params);
      }
      case 'commit':
      case 'rollback': {
        const entry = open.get(request.tx);
        // A rollback after a BEGIN that failed: there is nothing to end.
        if (!entry) return undefined;
        open.delete(request.tx);
        await entry.end(request.op === 'commit');
        return undefined;
      }
      case 'listen': {
        const stop = await db.listen(request.channel, (payload) => port.postMessage({ notification: request.id, payload } satisfies Answer));
        listeners.set(request.id, stop);
        return undefined;
      }
      case 'unlisten':
        await listeners.get(request.listener)?.();
        listeners.delete(request.listener);
        return undefined;
      case 'close':
        await db.close();
        return undefined;
    }
  };

  port.on('message', (request: Request) => {
    answer(request).then(
      (rows) => port.postMessage({ id: request.id, ...(rows ? { rows } : {}) } satisfies Answer),
      (error: unknown) => port.postMessage({ id: request.id, error: thrown(error) } satisfies Answer),
    );
  });
  port.postMessage({ id: 0 } satisfies Answer);
}

function thrown(error: unknown): ThrownError {
  const fields: ThrownError['fields'] = {};
  if (error && typeof error === 'object') {
    for (const [key, value] of Object.entries(error))
      if (['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value as string | number | boolean;
  }
  return { message: error instanceof Error ? error.message : String(error), name: error instanceof Error ? error.name : 'Error', fields };
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ id: 0, error: thrown(error) } satisfies Answer);
});
