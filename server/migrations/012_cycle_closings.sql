-- Cycle closings: each account's cycles close once, in order. `cycle_end` is the end of the
-- account's oldest cycle not yet closed (NULL until the server computes it from the anchor).
ALTER TABLE accounts ADD COLUMN cycle_end timestamptz;
CREATE INDEX accounts_cycle_due ON accounts (cycle_end);

CREATE TABLE cycle_closings (
  account_id      text NOT NULL REFERENCES accounts (id),
  cycle_start     timestamptz NOT NULL,
  cycle_end       timestamptz NOT NULL,
  closed_at       timestamptz NOT NULL,
  plan            text NOT NULL,
  -- What the closing did for the next cycle, in the balance unit.
  credits_granted numeric NOT NULL,
  lapsed          numeric NOT NULL,
  rents_charged   numeric NOT NULL,
  -- The key is the proof of "exactly once": a second closing of the same cycle cannot commit.
  PRIMARY KEY (account_id, cycle_start)
);
