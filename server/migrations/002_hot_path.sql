-- Ingestion writes a usage event and at least one ledger entry per event; these changes keep each
-- of those writes to its own row and indexes.

-- The foreign keys from the two append-only, high-volume tables to accounts cost a row lock on the
-- account per inserted row. Ingestion already holds that account's lock (FOR UPDATE) for the whole
-- transaction, and accounts are never deleted, so the check can never fail there.
ALTER TABLE usage_events DROP CONSTRAINT usage_events_account_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_id_fkey;

-- A partial index on `remaining > 0` makes every draw on a grant a non-HOT update (the predicate's
-- column changed), rewriting both indexes; an account has a handful of grants, so index them all.
DROP INDEX grants_open_by_account;
CREATE INDEX grants_by_account ON grants (account_id);
ALTER TABLE grants SET (fillfactor = 70);
ALTER TABLE accounts SET (fillfactor = 70);
