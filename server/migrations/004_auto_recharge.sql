-- Auto-recharge: when the balance falls below a threshold, ask the operator (recharge.requested)
-- to charge the customer and top up with the request's reference.
CREATE TABLE auto_recharge (
  account_id      text PRIMARY KEY REFERENCES accounts (id),
  enabled         boolean NOT NULL,
  threshold       numeric NOT NULL CHECK (threshold >= 0),
  amount          numeric CHECK (amount > 0),
  target_balance  numeric CHECK (target_balance > 0),
  monthly_limit   numeric NOT NULL CHECK (monthly_limit > 0),
  timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
  failures        integer NOT NULL DEFAULT 0,
  disabled_reason text,
  updated_at      timestamptz NOT NULL,
  CHECK ((amount IS NULL) <> (target_balance IS NULL))
);

CREATE TABLE recharge_requests (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  reference    text NOT NULL,
  amount       numeric NOT NULL CHECK (amount > 0),
  status       text NOT NULL CHECK (status IN ('requested', 'succeeded', 'failed')),
  requested_at timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  settled_at   timestamptz,
  UNIQUE (account_id, reference)
);
CREATE UNIQUE INDEX recharge_requests_one_open ON recharge_requests (account_id) WHERE status = 'requested';
CREATE INDEX recharge_requests_due ON recharge_requests (due_at) WHERE status = 'requested';
