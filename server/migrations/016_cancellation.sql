-- Cancellation: the subscription ends at the end of a cycle (no renewal, no refund). `ends_at` is
-- that end, while it can still be withdrawn; `ended_at` is set by the cycle's last closing.
ALTER TABLE accounts ADD COLUMN ends_at timestamptz;
ALTER TABLE accounts ADD COLUMN ended_at timestamptz;
