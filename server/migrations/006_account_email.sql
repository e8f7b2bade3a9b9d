-- Where the operator's workflows write to the account's owner (usage alerts, receipts).
ALTER TABLE accounts ADD COLUMN email text;
