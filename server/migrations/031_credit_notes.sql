-- Corrections of issued invoices, never edits of them. An unpaid invoice may be voided: it keeps
-- every figure and says when, why and by which API key; what it settled from the balance is taken
-- back by new ledger entries. A credit note is a document of its own, numbered in its own gapless
-- sequence (invoice_sequences, under its own key), pointing at the invoice it credits.
ALTER TABLE invoices ADD COLUMN voided_at timestamptz;
ALTER TABLE invoices ADD COLUMN void_reason text;
ALTER TABLE invoices ADD COLUMN voided_by text;
-- The gross of the credit notes issued on the invoice, kept with the invoice (its row is locked
-- while a note is issued) so that every read shows what the invoice still asks.
ALTER TABLE invoices ADD COLUMN credited numeric NOT NULL DEFAULT 0 CHECK (credited >= 0);
-- Which lines (0-based) the invoice settled from the balance (a postpaid plan's usage and rents):
-- crediting them takes their settlement back.
ALTER TABLE invoices ADD COLUMN settled_lines jsonb NOT NULL DEFAULT '[]';
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('open', 'paid', 'failed', 'void'));
ALTER TABLE invoices ADD CONSTRAINT invoices_void_check CHECK ((status = 'void') = (voided_at IS NOT NULL AND void_reason IS NOT NULL));

-- Invoices issued before: a cycle invoice that settled charges billed them after its plan fees
-- (unit month or year) and add-ons (unit pack).
UPDATE invoices i SET settled_lines = (
  SELECT coalesce(jsonb_agg(l.n - 1 ORDER BY l.n), '[]'::jsonb)
  FROM jsonb_array_elements(i.lines) WITH ORDINALITY AS l(line, n)
  WHERE l.line->>'unit' NOT IN ('month', 'year', 'pack'))
WHERE EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = i.account_id AND e.kind = 'settlement' AND e.reference = i.id);

CREATE TABLE credit_notes (
  id             text PRIMARY KEY,
  number         text NOT NULL UNIQUE,
  invoice_id     text NOT NULL REFERENCES invoices (id),
  account_id     text NOT NULL REFERENCES accounts (id),
  issued_at      timestamptz NOT NULL,
  currency       text NOT NULL,
  -- The credited invoice as the note prints it, and the parties as the invoice named them.
  invoice        jsonb NOT NULL,
  seller         jsonb NOT NULL,
  buyer          jsonb NOT NULL,
  lines          jsonb NOT NULL,
  taxes          jsonb NOT NULL,
  notes          jsonb NOT NULL,
  net            numeric NOT NULL CHECK (net > 0),
  tax            numeric NOT NULL CHECK (tax >= 0),
  gross          numeric NOT NULL CHECK (gross > 0),
  reason         text NOT NULL,
  refund         text NOT NULL CHECK (refund IN ('balance', 'external')),
  -- What went to the balance, in its unit, and as which grant; null for an external refund.
  refunded       numeric CHECK (refunded > 0),
  refunded_unit  text,
  grant_id       text,
  -- What of the invoice's settlement the note took back.
  unsettled      numeric NOT NULL DEFAULT 0 CHECK (unsettled >= 0),
  key_id         text,
  -- The caller's idempotency key, and what it asked (lines or amount, and the refund), to compare a resend with.
  reference      text,
  asked          jsonb,
  CHECK ((refund = 'balance') = (refunded IS NOT NULL AND refunded_unit IS NOT NULL AND grant_id IS NOT NULL))
);
CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice_id, issued_at);
CREATE UNIQUE INDEX credit_notes_by_reference ON credit_notes (invoice_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX credit_notes_by_account ON credit_notes (account_id, issued_at);
-- What an invoice settled and what corrections took back, found by the invoice.
CREATE INDEX ledger_entries_settlements ON ledger_entries (reference) WHERE kind IN ('settlement', 'unsettlement');
