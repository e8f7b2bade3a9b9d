-- The language and time zone a customer reads: the account's (its dashboard and explanations
-- follow it), and each invoice's and credit note's own, taken from the account when it is issued,
-- so that an issued document reads as it was issued after the account changes its locale.
-- Accounts and documents from before read as they did: English, days in UTC. A new account gets
-- the catalog's default when it gives none (the server writes it; the column default is for old rows).
ALTER TABLE accounts ADD COLUMN locale text NOT NULL DEFAULT 'en-GB';
ALTER TABLE accounts ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
ALTER TABLE invoices ADD COLUMN locale text NOT NULL DEFAULT 'en-GB';
ALTER TABLE invoices ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
ALTER TABLE credit_notes ADD COLUMN locale text NOT NULL DEFAULT 'en-GB';
ALTER TABLE credit_notes ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
