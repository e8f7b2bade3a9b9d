-- Invoices: one per closed cycle, numbered without gaps per issuer prefix; the buyer's billing
-- details on the account; postpaid charges settled into the invoice as a new ledger entry kind.
ALTER TABLE accounts ADD COLUMN billing jsonb NOT NULL DEFAULT '{}';
-- The last failed payment, until a payment succeeds: { invoice, number, reason, at }.
ALTER TABLE accounts ADD COLUMN payment_issue jsonb;

CREATE TABLE invoice_sequences (
  prefix text PRIMARY KEY,
  last   bigint NOT NULL
);

CREATE TABLE invoices (
  id           text PRIMARY KEY,
  number       text NOT NULL UNIQUE,
  account_id   text NOT NULL REFERENCES accounts (id),
  kind         text NOT NULL CHECK (kind IN ('cycle', 'proration')),
  issued_at    timestamptz NOT NULL,
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL,
  currency     text NOT NULL,
  seller       jsonb NOT NULL,
  buyer        jsonb NOT NULL,
  lines        jsonb NOT NULL,
  taxes        jsonb NOT NULL,
  notes        jsonb NOT NULL,
  net          numeric NOT NULL,
  tax          numeric NOT NULL,
  gross        numeric NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'paid', 'failed')),
  payments     jsonb NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX invoices_one_per_cycle ON invoices (account_id, period_start) WHERE kind = 'cycle';
CREATE INDEX invoices_by_account ON invoices (account_id, issued_at);

ALTER TABLE cycle_closings ADD COLUMN invoice_id text;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_sign_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN ('plan_credits', 'topup', 'usage', 'fee', 'expiry', 'settlement'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_sign_check
  CHECK ((kind IN ('plan_credits', 'topup', 'settlement') AND amount > 0) OR (kind IN ('usage', 'fee', 'expiry') AND amount < 0));
