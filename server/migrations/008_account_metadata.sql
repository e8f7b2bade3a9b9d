-- The operator's own facts about an account (its customer ID at the payment provider, say),
-- string keys to string values, for workflows to read.
ALTER TABLE accounts ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';
