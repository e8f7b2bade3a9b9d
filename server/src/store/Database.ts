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
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Hands each NOTIFY payload on `channel`, from any process on this database, to `onMessage`.
   * `onLost` says notifications may be missed from now on (the listening connection broke), and
   * `onListening` that they flow again (it reconnects by itself). Resolves to a function that stops.
   */
  listen(channel: string, handlers: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
