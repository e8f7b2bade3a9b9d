// The one storage interface: SQL with positional parameters and transactions. PostgreSQL (pg) and
// embedded PGlite both implement it and run the very same queries.
export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Listener {
  onMessage(payload: string): void;
  onLost(): void;
  onListening(): void;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * How many transactions on disjoint rows are worth running at once: 1 where the store runs one
   * query at a time (PGlite, in this thread); more where it works beside this process (PostgreSQL).
   */
  readonly parallelWrites: number;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Hands each NOTIFY payload on `channel`, from any process on this database, to `onMessage`.
   * `onLost` says notifications may be missed from now on (the listening connection broke), and
   * `onListening` that they flow again (it reconnects by itself). Resolves to a function that stops.
   */
  listen(channel: string, handlers: Listener): Promise<() => Promise<void>>;
  /** Connections (PostgreSQL) or transactions (PGlite) in use now, and work waiting for one. */
  pressure(): { inUse: number; waiting: number };
  /**
   * The JavaScript heap of the thread this process runs the store in (PGlite's): bytes in use and
   * the ceiling it was started with. Undefined where the store runs beside the process (PostgreSQL).
   */
  threadHeap(): Promise<{ used: number; limit: number } | undefined>;
  close(): Promise<void>;
}

/** Resolves once the store answers a query at all: the readiness check. */
export async function storeAnswers(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
