// Embedded PostgreSQL (PGlite) in a data folder: the default store when no DATABASE_URL is set.
// PGlite runs in a thread of its own (pgliteWorker), so that its statements, which run to their end
// without yielding, do not stall the requests this thread serves meanwhile; it runs one transaction
// at a time, and statements outside a transaction wait for it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { STORE_THREAD_HEAP } from '../lifecycle/heapSettings';
import type { Database, Listener, Row } from './Database';
import { lockDataFolder } from './dataFolderLock';
import type { Answer, Request, ThrownError, WorkerOptions } from './pgliteWorker';

const run = promisify(execFile);

/** The compiled set-up of a new folder; absent when running from the sources (tests), which set up in this process. */
const SET_UP = join(__dirname, 'pgliteSetUp.js');

/**
 * The store's thread runs compiled JavaScript: beside this file in the build, or, when the server
 * runs from its sources (the tests, after the test command's build), in the build beside them.
 */
const WORKER = [join(__dirname, 'pgliteWorker.js'), join(__dirname, '..', '..', 'dist', 'store', 'pgliteWorker.js')];

/** `lockHeld`: the caller holds the folder's lock (the set-up process of openPglite's own). */
export async function openPglite(dataDir: string | undefined, options: { lockHeld?: boolean } = {}): Promise<Database> {
  let release = () => {};
  // Before PGlite reads a page: a second process must not even open the folder.
  if (dataDir && !options.lockHeld) release = lockDataFolder(dataDir, new Date());
  let store: StoreThread;
  try {
    if (dataDir && !options.lockHeld && !existsSync(join(dataDir, 'PG_VERSION')) && existsSync(SET_UP)) await setUpInItsOwnProcess(dataDir);
    store = await StoreThread.start({ dataDir });
  } catch (error) {
    release();
    throw error;
  }
  // PGlite runs one transaction at a time: the others wait in its queue.
  let transactions = 0;
  let nextTransaction = 0;
  return {
    kind: 'pglite',
    parallelWrites: 1,
    query: <T extends Row>(sql: string, params?: readonly unknown[]) => store.ask<T[]>({ op: 'query', sql, ...(params?.length ? { params } : {}) }),
    transaction: async (work) => {
      transactions++;
      const tx = ++nextTransaction;
      // The transaction begins with its first statement, in the same message: each message waits
      // for this thread's turn to read its answer, which a busy server makes a millisecond or more.
      let begun = false;
      try {
        let result;
        try {
          result = await work({
            query: <T extends Row>(sql: string, params?: readonly unknown[]) => {
              const begin = !begun;
              begun = true;
              return store.ask<T[]>({ op: 'query', tx, ...(begin ? { begin } : {}), sql, ...(params?.length ? { params } : {}) });
            },
          });
        } catch (error) {
          if (begun) await store.ask({ op: 'rollback', tx });
          throw error;
        }
        if (begun) await store.ask({ op: 'commit', tx });
        return result;
      } finally {
        transactions--;
      }
    },
    // One process owns an embedded store, so its notifications cannot be missed.
    listen: async (channel: string, handlers: Listener) => {
      const listener = await store.listen(channel, (payload) => handlers.onMessage(payload));
      return () => store.ask({ op: 'unlisten', listener }).then(() => store.unlisten(listener));
    },
    pressure: () => ({ inUse: Math.min(transactions, 1), waiting: Math.max(transactions - 1, 0) }),
    threadHeap: () => store.heap(),
    close: async () => {
      try {
        await store.close();
      } finally {
        release();
      }
    },
  };
}

/** The store's thread and the requests waiting for its answers. */
class StoreThread {
  private readonly waiting = new Map<number, { resolve: (rows: unknown) => void; reject: (error: Error) => void }>();
  private readonly notified = new Map<number, (payload: string) => void>();
  private nextId = 0;
  private ended: Error | undefined;

  private constructor(private readonly worker: Worker) {}

  static async start(options: WorkerOptions): Promise<StoreThread> {
    const file = WORKER.find((path) => existsSync(path));
    if (!file) throw new Error(`the embedded store's thread is not built (${WORKER[0]}): run npm run build --workspace server`);
    const thread = new StoreThread(new Worker(file, { workerData: options, resourceLimits: STORE_THREAD_HEAP }));
    await thread.started();
    return thread;
  }

  private started(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.set(0, { resolve: () => resolve(), reject });
      this.worker.on('message', (answer: Answer) => this.answered(answer));
      this.worker.on('error', (error) => this.fail(error));
      this.worker.on('exit', (code) => this.fail(new Error(`the embedded store's thread ended (exit code ${code})`)));
    });
  }

  ask<T = undefined>(request: DistributiveOmit<Request, 'id'>): Promise<T> {
    return this.send(++this.nextId, request);
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<number> {
    const id = ++this.nextId;
    this.notified.set(id, onPayload);
    try {
      await this.send(id, { op: 'listen', channel });
    } catch (error) {
      this.notified.delete(id);
      throw error;
    }
    return id;
  }

  private send<T>(id: number, request: DistributiveOmit<Request, 'id'>): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    // The thread keeps the process alive while an answer is awaited, and not when idle (a process
    // that is otherwise done, a test that forgot to close its store, ends).
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (rows: unknown) => void, reject });
      this.worker.postMessage({ ...request, id } as Request);
    });
  }

  /** Its heap as V8 reports it: the limit is STORE_THREAD_HEAP's, or the process's heap flags where it has them. */
  async heap(): Promise<{ used: number; limit: number } | undefined> {
    if (this.ended) return undefined;
    try {
      const heap = await this.worker.getHeapStatistics();
      return { used: heap.used_heap_size, limit: heap.heap_size_limit };
    } catch {
      return undefined; // the thread ended meanwhile
    }
  }

  unlisten(listener: number): void {
    this.notified.delete(listener);
  }

  async close(): Promise<void> {
    if (!this.ended) await this.ask({ op: 'close' });
    this.ended ??= new Error('the embedded store is closed');
    await this.worker.terminate();
  }

  private answered(answer: Answer): void {
    if ('notification' in answer) {
      this.notified.get(answer.notification)?.(answer.payload);
      return;
    }
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (answer.error) waiter.reject(rebuilt(answer.error));
    else waiter.resolve(answer.rows);
  }

  private fail(error: Error): void {
    this.ended ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The store's error as this thread throws it: its message, and PostgreSQL's fields (code, constraint…) as properties. */
function rebuilt(thrown: ThrownError): Error {
  const error = new Error(thrown.message);
  Object.assign(error, thrown.fields);
  error.name = thrown.name;
  return error;
}

async function setUpInItsOwnProcess(dataDir: string): Promise<void> {
  try {
    await run(process.execPath, [SET_UP, dataDir], { env: { ...process.env, NODE_OPTIONS: '' } });
  } catch (error) {
    throw new Error(`cannot set up the embedded store in ${dataDir}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}
