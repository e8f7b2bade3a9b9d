-- Plan fees are billed up front (seed 003): how far each account's plan fee is billed (null where
-- nothing is billed ahead: every account before this migration, whose current cycle's fee its
-- closing still bills), and the invoice an account opens with.
ALTER TABLE accounts ADD COLUMN fee_paid_until timestamptz;

ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('cycle', 'proration', 'opening'));
