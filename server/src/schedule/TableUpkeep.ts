// Keeps an embedded PGlite store's tables vacuumed and analyzed, on a timer, as PostgreSQL's
// autovacuum does for a server (see store/tableUpkeep). Without it a hot account's ingestion slows
// down as its tables grow: the lookups it prepared on a small table keep reading the whole table.
import type { Logger } from 'pino';
import type { Database } from '../store/Database';
import { readTableActivity, tendTables, upkeepDue } from '../store/tableUpkeep';
import { PeriodicJob } from './PeriodicJob';

export const DEFAULT_UPKEEP_MS = 5000;

export class TableUpkeep extends PeriodicJob {
  constructor(
    private readonly db: Database,
    log: Logger,
    /** 0 turns the timer off (tests tend on demand). */
    everyMs = DEFAULT_UPKEEP_MS,
  ) {
    super(log, everyMs, 'table upkeep');
  }

  protected async work(): Promise<void> {
    const { tables, databaseXidAge } = await readTableActivity(this.db);
    const due = upkeepDue(tables, databaseXidAge);
    const started = performance.now();
    await tendTables(this.db, due);
    if (due.vacuumDatabase || due.tables.length > 0) {
      this.log.debug({ vacuumDatabase: due.vacuumDatabase, tables: due.tables, ms: Math.round(performance.now() - started) }, 'tables tended');
    }
  }
}
