// The store as use cases see it: a transaction committed for a request carries the request's audit
// row, so that a change and the record of who made it stand or fall together.
import type { NewId } from '../domain/ledger/LedgerEntry';
import type { Database } from './Database';
import { addAuditWrites } from './auditLog';
import { Writes } from './Writes';
import type { Clock } from '../usecases/Context';
import { currentTrail, runInTrail } from '../audit/RequestTrail';

export function auditedDatabase(db: Database, newId: NewId, clock: Clock): Database {
  return {
    kind: db.kind,
    parallelWrites: db.parallelWrites,
    query: (sql, params) => db.query(sql, params),
    transaction: async (work) => {
      const trail = currentTrail();
      if (!trail) return db.transaction(work);
      let status: number | undefined;
      const result = await db.transaction(async (tx) => {
        trail.beginTransaction();
        status = undefined;
        // Within the trail, whatever context the store calls back in: the use case reads it.
        const value = await runInTrail(trail, () => work(tx));
        if (trail.changedNothing) return value;
        const entry = trail.entry(newId('aud'), clock.now());
        status = entry.status;
        await addAuditWrites(new Writes(), [entry]).run(tx);
        return value;
      });
      if (status !== undefined) trail.committed(status);
      return result;
    },
    listen: (channel, handlers) => db.listen(channel, handlers),
    pressure: () => db.pressure(),
    threadHeap: () => db.threadHeap(),
    close: () => db.close(),
  };
}
