-- A postpaid account's spend limit per cycle, in the invoice currency (null: none), and each cycle
-- in which its spend_limit.reached webhook was sent: once per cycle and limit, so a new limit
-- forgets them.
ALTER TABLE accounts ADD COLUMN spend_limit numeric CHECK (spend_limit > 0);

CREATE TABLE spend_limit_notices (
  account_id text NOT NULL REFERENCES accounts (id),
  period     text NOT NULL,
  spent      numeric NOT NULL,
  sent_at    timestamptz NOT NULL,
  PRIMARY KEY (account_id, period)
);
