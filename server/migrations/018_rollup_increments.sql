-- Rollup increments not yet folded into usage_rollups and usage_rollups_daily. Upserting both
-- tables in every ingestion transaction cost more than inserting the events themselves; instead
-- each transaction appends one row holding its increments (no index, no conflict to check), a job
-- in every process folds them in (schedule/RollupFolder), and reports read the folded rollups plus
-- the increments still waiting, so they stay exact whatever the job's progress.
CREATE TABLE usage_rollup_increments (
  -- The accounts the increments touch: a report for one account parses only its own rows.
  accounts   text[] NOT NULL,
  -- A JSON array of hourly increments, one object per rollup key (see store/rollups.ts).
  increments text NOT NULL
);
-- Stored as written: compressing a row that lives a second or two is work for nothing.
ALTER TABLE usage_rollup_increments ALTER COLUMN increments SET STORAGE EXTERNAL;
