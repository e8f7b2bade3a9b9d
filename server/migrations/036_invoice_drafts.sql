-- An invoice to a business buyer (a VAT id, or marked as a business) names the buyer's address
-- (§14 (4) UStG). Without it the invoice waits as a draft: its figures are kept (what it settles is
-- settled with its closing) but it takes no number from the gapless sequence until it is issued;
-- `held` says what is missing. A draft's issued_at is when it was drafted; issuing sets the number,
-- issued_at, the due date and the buyer as they are then.
ALTER TABLE invoices ALTER COLUMN number DROP NOT NULL;
ALTER TABLE invoices ADD COLUMN held jsonb;
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('draft', 'open', 'paid', 'failed', 'void'));
ALTER TABLE invoices ADD CONSTRAINT invoices_draft_check CHECK ((status = 'draft') = (number IS NULL) AND (status = 'draft') = (held IS NOT NULL));
-- The drafts an account's new address issues.
CREATE INDEX invoices_drafts ON invoices (account_id, period_start) WHERE status = 'draft';
