-- Dedicated phone numbers an account rents, and their rent in the ledger as a new entry kind.
CREATE TABLE phone_numbers (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  number       text NOT NULL,
  type         text NOT NULL CHECK (type IN ('local', 'mobile')),
  country      text NOT NULL,
  monthly_rent numeric NOT NULL CHECK (monthly_rent >= 0),
  rented_at    timestamptz NOT NULL,
  released_at  timestamptz
);
-- A number is rented by one account at a time; released, it may be rented again.
CREATE UNIQUE INDEX phone_numbers_active ON phone_numbers (number) WHERE released_at IS NULL;
CREATE INDEX phone_numbers_by_account ON phone_numbers (account_id, rented_at);

-- Recurring fees (a number's rent) are charged like usage: from grants, the rest as debt.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN ('plan_credits', 'topup', 'usage', 'fee', 'expiry'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_sign_check
  CHECK ((kind IN ('plan_credits', 'topup') AND amount > 0) OR (kind IN ('usage', 'fee', 'expiry') AND amount < 0));
