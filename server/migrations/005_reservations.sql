-- Reservations hold credit (and included units) for usage in progress, such as a call. Only active
-- ones hold; an active one past expires_at has expired and holds nothing, without being rewritten.
CREATE TABLE reservations (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts (id),
  reference   text,
  type        text NOT NULL,
  -- The opening estimate and each extension: [{estimate, amount, allowanceUnits, at}].
  holds       jsonb NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'settled', 'released')),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  settled_by  text,
  actual_cost numeric,
  CHECK ((status = 'active') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX reservations_reference ON reservations (account_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX reservations_active ON reservations (account_id, expires_at) WHERE status = 'active';
CREATE INDEX reservations_by_account ON reservations (account_id, id);

-- The reservation a usage event named, if any.
ALTER TABLE usage_events ADD COLUMN reservation_id text;
