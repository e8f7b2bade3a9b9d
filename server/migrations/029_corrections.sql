-- Corrections are new ledger entries, never changes to old ones: an adjustment (either sign), a
-- void giving back what an event drew, a refund of a credit note to the balance, and an
-- unsettlement taking back what an invoice settled. Each says why (reason); an adjustment or a
-- refund that credits adds a grant of its own kind.
ALTER TABLE ledger_entries ADD COLUMN reason text;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_sign_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('plan_credits', 'topup', 'usage', 'fee', 'expiry', 'settlement', 'adjustment', 'void', 'refund', 'unsettlement'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_sign_check
  CHECK ((kind IN ('plan_credits', 'topup', 'settlement', 'void', 'refund') AND amount > 0)
      OR (kind IN ('usage', 'fee', 'expiry', 'unsettlement') AND amount < 0)
      OR (kind = 'adjustment' AND amount <> 0));

ALTER TABLE grants DROP CONSTRAINT grants_kind_check;
ALTER TABLE grants ADD CONSTRAINT grants_kind_check CHECK (kind IN ('plan_credits', 'topup', 'adjustment', 'refund'));
