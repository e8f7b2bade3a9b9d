-- Signed webhooks with a transactional outbox, alert rules and the counters they watch.

-- Subscriptions: where to send which event types, signed with the endpoint's own secret.
CREATE TABLE webhook_endpoints (
  id              text PRIMARY KEY,
  url             text NOT NULL,
  events          text[] NOT NULL,
  description     text,
  secret          text NOT NULL,
  created_at      timestamptz NOT NULL,
  disabled_at     timestamptz,
  disabled_reason text
);

-- The outbox: written in the same transaction as the change a message reports, never changed.
CREATE TABLE outbox_messages (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  account_id  text,
  data        jsonb NOT NULL,
  occurred_at timestamptz NOT NULL
);

-- One delivery per message and subscribed endpoint. `next_attempt_at` is also the lease of the
-- process sending an attempt: it is pushed past the attempt's timeout when the attempt is claimed.
CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
  message_id       text NOT NULL REFERENCES outbox_messages (id),
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  UNIQUE (endpoint_id, message_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id),
  attempt     integer NOT NULL,
  started_at  timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  error       text,
  PRIMARY KEY (delivery_id, attempt)
);

-- Alert rules for one account, or for every account when account_id is null.
CREATE TABLE alert_rules (
  id          text PRIMARY KEY,
  account_id  text REFERENCES accounts (id),
  kind        text NOT NULL CHECK (kind IN ('allowance_percent', 'balance_below', 'cycle_spend_above')),
  meter       text,
  thresholds  numeric[] NOT NULL,
  description text,
  created_at  timestamptz NOT NULL
);
CREATE INDEX alert_rules_by_account ON alert_rules (account_id);

-- Each crossing fires once: a row per rule, account, threshold and period (a cycle's start, or
-- 'balance' for balance rules, whose rows are removed when a top-up lifts the balance back above).
CREATE TABLE alert_crossings (
  rule_id    text NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  threshold  numeric NOT NULL,
  period     text NOT NULL,
  fired_at   timestamptz NOT NULL,
  PRIMARY KEY (rule_id, account_id, threshold, period)
);

-- What each account has been charged in each cycle (by the cycle's start).
CREATE TABLE cycle_spend (
  account_id text NOT NULL,
  period     text NOT NULL,
  amount     numeric NOT NULL,
  PRIMARY KEY (account_id, period)
);
