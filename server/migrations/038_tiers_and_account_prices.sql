-- Tiered prices count each service's chargeable quantity per account and cycle (the cycle's key):
-- written in the same transaction as the charges that count it, lowered when an event is voided.
CREATE TABLE tier_usage (
  account_id text NOT NULL REFERENCES accounts (id),
  service    text NOT NULL,
  period     text NOT NULL,
  quantity   numeric NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (account_id, service, period)
);

-- An account's own prices by service code ({price, increments?} in the form the API takes), read
-- with the account itself so that rating needs no extra query. Empty: the plan's and catalog's prices.
ALTER TABLE accounts ADD COLUMN prices jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Volume tiers: an event that takes its cycle into a cheaper tier costs less than nothing (the
-- cycle's earlier units repriced), and the credits go back to the account at once.
ALTER TABLE usage_events DROP CONSTRAINT usage_events_cost_check;
