// What PostgreSQL's autovacuum does, for embedded PGlite, which runs without it. A table that has
// grown is analyzed, so that plans cached while it was small (a prepared lookup that reads the whole
// table instead of its index) are made afresh; dead rows are vacuumed away; and transaction ids are
// frozen before they run out. The thresholds are PostgreSQL's own defaults.
import type { Database } from './Database';

/** PostgreSQL's autovacuum settings, at their defaults. */
const AUTOVACUUM = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  insertThreshold: 1000,
  insertScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
  freezeMaxAge: 200_000_000,
} as const;

/**
 * The statistics target ANALYZE samples with here (300 rows per unit): a tenth of PostgreSQL's 100.
 * On PGlite an ANALYZE holds the store's only connection; 3,000 rows tell table sizes and key
 * selectivity, which is what our plans turn on, in a tenth of the time (32 instead of 300 ms on a
 * table of 100,000 events).
 */
const SAMPLE_TARGET = 10;

/** A table's counters since it was last vacuumed and analyzed, as the statistics collector keeps them. */
export interface TableActivity {
  /** The table's name, quoted by PostgreSQL where it must be. */
  table: string;
  /** Rows as of the last vacuum or analyze; unknown (negative) before the first. */
  rows: number;
  dead: number;
  insertedSinceVacuum: number;
  changedSinceAnalyze: number;
}

export interface Upkeep {
  /** Transaction ids are close to wrapping around: the whole database is vacuumed, catalogs too. */
  vacuumDatabase: boolean;
  tables: { table: string; vacuum: boolean; analyze: boolean }[];
}

/** Which tables autovacuum would vacuum or analyze now, given their activity and the database's oldest unfrozen transaction id. */
export function upkeepDue(tables: readonly TableActivity[], databaseXidAge: number): Upkeep {
  const due: Upkeep['tables'] = [];
  for (const t of tables) {
    const rows = Math.max(t.rows, 0);
    const vacuum =
      t.dead > AUTOVACUUM.vacuumThreshold + AUTOVACUUM.vacuumScaleFactor * rows ||
      t.insertedSinceVacuum > AUTOVACUUM.insertThreshold + AUTOVACUUM.insertScaleFactor * rows;
    const analyze = t.changedSinceAnalyze > AUTOVACUUM.analyzeThreshold + AUTOVACUUM.analyzeScaleFactor * rows;
    if (vacuum || analyze) due.push({ table: t.table, vacuum, analyze });
  }
  return { vacuumDatabase: databaseXidAge > AUTOVACUUM.freezeMaxAge, tables: due };
}

export async function readTableActivity(db: Database): Promise<{ tables: TableActivity[]; databaseXidAge: number }> {
  // Counters reach the views when the store next reports them (at most once a second): report now.
  await db.query('SELECT pg_stat_force_next_flush()');
  const rows = await db.query<{ name: string; rows: number; dead: string; inserted: string; changed: string; xid_age: number }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name, c.reltuples::float8 AS rows, s.n_dead_tup AS dead,
       s.n_ins_since_vacuum AS inserted, s.n_mod_since_analyze AS changed,
       (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS xid_age
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid`,
  );
  return {
    tables: rows.map((r) => ({ table: r.name, rows: r.rows, dead: Number(r.dead), insertedSinceVacuum: Number(r.inserted), changedSinceAnalyze: Number(r.changed) })),
    databaseXidAge: rows[0]?.xid_age ?? 0,
  };
}

/** Runs what is due, one statement per table, so that the store answers other work in between. */
export async function tendTables(db: Database, upkeep: Upkeep): Promise<void> {
  if (upkeep.vacuumDatabase) {
    // Freezing is what is due; tables that want analyzing as well are found on the next pass.
    await db.query('VACUUM');
    return;
  }
  for (const { table, vacuum, analyze } of upkeep.tables) {
    if (vacuum) await db.query(`VACUUM ${table}`);
    if (analyze) {
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL default_statistics_target = ${SAMPLE_TARGET}`);
        await tx.query(`ANALYZE ${table}`);
      });
    }
  }
}
