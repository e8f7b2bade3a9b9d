// Bench instrument: a Database that measures how long at least one statement was under way, so that
// the batch figure can say how much of its time went to SQL. Overlapping statements (a fold beside
// an ingestion) count once. Not for serving: it only times.
import type { Database, Queryable } from './Database';

export interface SqlClock {
  db: Database;
  /** Milliseconds during which a statement was under way, since the clock was made or reset. */
  busyMs(): number;
  reset(): void;
}

export function sqlClock(inner: Database, now: () => number = () => performance.now()): SqlClock {
  let busy = 0;
  let running = 0;
  let since = 0;
  const timed = (on: Queryable): Queryable['query'] =>
    async function query(sql, params) {
      if (running++ === 0) since = now();
      try {
        return await on.query(sql, params);
      } finally {
        if (--running === 0) busy += now() - since;
      }
    } as Queryable['query'];
  const db: Database = {
    kind: inner.kind,
    parallelWrites: inner.parallelWrites,
    query: timed(inner),
    transaction: (work) => inner.transaction((tx) => work({ query: timed(tx) })),
    listen: (channel, handlers) => inner.listen(channel, handlers),
    pressure: () => inner.pressure(),
    threadHeap: () => inner.threadHeap(),
    close: () => inner.close(),
  };
  return {
    db,
    busyMs: () => busy + (running > 0 ? now() - since : 0),
    reset: () => {
      busy = 0;
      if (running > 0) since = now();
    },
  };
}
