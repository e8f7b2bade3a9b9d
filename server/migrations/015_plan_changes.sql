-- Plan changes: when the current plan began within its cycle (NULL: at the cycle's start), a
-- change waiting for the cycle's end, and the counted resources plan limits apply to.
ALTER TABLE accounts ADD COLUMN plan_since timestamptz;
ALTER TABLE accounts ADD COLUMN scheduled_change jsonb;
ALTER TABLE accounts ADD COLUMN resources jsonb NOT NULL DEFAULT '{}';
