-- A paid top-up is invoiced at once, in its own transaction: invoices gain the kind 'topup', and a
-- top-up keeps the invoice it issued, so that the same reference again answers that invoice.
ALTER TABLE invoices DROP CONSTRAINT invoices_kind_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_kind_check CHECK (kind IN ('cycle', 'proration', 'opening', 'topup'));
ALTER TABLE topups ADD COLUMN invoice_id text REFERENCES invoices (id);
-- A top-up asks whether its reference is an auto-recharge request's (then it was paid for).
CREATE INDEX recharge_requests_by_reference ON recharge_requests (account_id, reference);
