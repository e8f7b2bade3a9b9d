-- When an invoice is due: issued plus the payment terms (the catalog's, or the account's own).
-- Invoices issued before stay without one.
ALTER TABLE invoices ADD COLUMN due_at timestamptz;
