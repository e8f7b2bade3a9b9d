-- Add-on packs bought for the current cycle: extra allowance units on the account (by meter and
-- period, in the meter's unit) and the purchases the cycle's invoice bills.
ALTER TABLE accounts ADD COLUMN allowance_extras jsonb NOT NULL DEFAULT '{}';

CREATE TABLE add_on_purchases (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  add_on       text NOT NULL,
  name         text NOT NULL,
  quantity     integer NOT NULL CHECK (quantity > 0),
  unit_price   numeric NOT NULL CHECK (unit_price >= 0),
  purchased_at timestamptz NOT NULL
);
CREATE INDEX add_on_purchases_by_account ON add_on_purchases (account_id, purchased_at);
