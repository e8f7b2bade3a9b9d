-- A customer's request, made on the dashboard, to buy balance. The operator's flow (n8n, on
-- topup.requested) answers it with a checkout link, which the dashboard then offers; the top-up the
-- payment makes carries the request's id as its reference, which marks the request paid.
CREATE TABLE topup_requests (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  amount       numeric NOT NULL CHECK (amount > 0),
  -- What it costs, net, where the catalog prices the balance's unit.
  price        numeric CHECK (price >= 0),
  currency     text,
  requested_at timestamptz NOT NULL,
  checkout_url text,
  answered_at  timestamptz
);
CREATE INDEX topup_requests_account ON topup_requests (account_id, requested_at DESC);
