-- The metering core: accounts, credit grants, the append-only ledger, usage events with their
-- charges, and the counters rating reads (allowances used, keys charged once, WhatsApp windows).

CREATE TABLE accounts (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  plan             text NOT NULL,
  billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
  anchor           timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('active', 'paused')),
  -- A cache of the ledger: always the sum of the account's ledger entries (tests check it).
  balance          numeric NOT NULL,
  debt             numeric NOT NULL CHECK (debt >= 0),
  created_at       timestamptz NOT NULL
);

CREATE TABLE grants (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts (id),
  kind        text NOT NULL CHECK (kind IN ('plan_credits', 'topup')),
  priority    integer NOT NULL CHECK (priority >= 0),
  amount      numeric NOT NULL CHECK (amount > 0),
  remaining   numeric NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  granted_at  timestamptz NOT NULL,
  expires_at  timestamptz
);
CREATE INDEX grants_open_by_account ON grants (account_id) WHERE remaining > 0;

CREATE TABLE topups (
  account_id  text NOT NULL REFERENCES accounts (id),
  reference   text NOT NULL,
  id          text NOT NULL UNIQUE,
  grant_id    text NOT NULL REFERENCES grants (id),
  amount      numeric NOT NULL CHECK (amount > 0),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, reference)
);

CREATE TABLE ledger_entries (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            text NOT NULL UNIQUE,
  account_id    text NOT NULL REFERENCES accounts (id),
  kind          text NOT NULL CHECK (kind IN ('plan_credits', 'topup', 'usage', 'expiry')),
  amount        numeric NOT NULL,
  balance_after numeric NOT NULL,
  grant_id      text,
  event_id      text,
  reference     text,
  description   text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  CHECK ((kind IN ('plan_credits', 'topup') AND amount > 0) OR (kind IN ('usage', 'expiry') AND amount < 0))
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, seq);

-- Append-only: an entry, once written, is never changed or removed.
CREATE FUNCTION ledger_entries_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_are_append_only();

CREATE TABLE usage_events (
  account_id  text NOT NULL REFERENCES accounts (id),
  id          text NOT NULL,
  type        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  data        jsonb NOT NULL,
  metadata    jsonb,
  cost        numeric NOT NULL CHECK (cost >= 0),
  charges     jsonb NOT NULL,
  PRIMARY KEY (account_id, id)
);

-- Service units of a meter used in a period (a cycle's start, or 'total' for a trial).
CREATE TABLE allowance_usage (
  account_id text NOT NULL REFERENCES accounts (id),
  meter      text NOT NULL,
  period     text NOT NULL,
  used       numeric NOT NULL CHECK (used >= 0),
  PRIMARY KEY (account_id, meter, period)
);

CREATE TABLE charged_once (
  account_id text NOT NULL REFERENCES accounts (id),
  charge_group text NOT NULL,
  charge_key text NOT NULL,
  period     text NOT NULL,
  PRIMARY KEY (account_id, charge_group, charge_key, period)
);

CREATE TABLE whatsapp_windows (
  account_id      text NOT NULL REFERENCES accounts (id),
  contact         text NOT NULL,
  last_inbound_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, contact)
);
