-- An operator's balance adjustment, by the caller's reference (one per account: the same reference
-- again answers the first): what it credited (a grant of kind 'adjustment') or debited, why, which
-- key made it, and the ledger entries it wrote. Nothing here is changed after it is written.
CREATE TABLE adjustments (
  account_id  text NOT NULL REFERENCES accounts (id),
  reference   text NOT NULL,
  id          text NOT NULL UNIQUE,
  -- Signed: a credit adds, a debit takes.
  amount      numeric NOT NULL CHECK (amount <> 0),
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  -- The grant a credit added; a debit adds none.
  grant_id    text REFERENCES grants (id),
  -- Only a credit expires (its grant lapses then).
  expires_at  timestamptz,
  -- In the order written; each one of kind 'adjustment' with this reference and reason.
  entry_ids   text[] NOT NULL CHECK (cardinality(entry_ids) > 0),
  key_id      text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, reference),
  CHECK ((amount > 0) = (grant_id IS NOT NULL)),
  CHECK (expires_at IS NULL OR amount > 0)
);
