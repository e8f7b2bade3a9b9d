-- Voided and amended events. A void marks the event (when, why, by which key) and leaves its data;
-- an amendment keeps each earlier version in usage_event_versions and the current one, under the
-- same id, in usage_events. draws records what rating took beside money (allowance units by
-- period, charge-once keys with how they stood before), so that a void gives back exactly that;
-- NULL for events recorded before, whose allowance units are read from their charges.
ALTER TABLE usage_events ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE usage_events ADD COLUMN draws jsonb;
ALTER TABLE usage_events ADD COLUMN voided_at timestamptz;
ALTER TABLE usage_events ADD COLUMN void_reason text;
ALTER TABLE usage_events ADD COLUMN voided_by text;
-- Where a voided event's cycle was invoiced: the invoice its money went back through, and the
-- credit note that did it (none while its share of the invoice's rounded line is below a cent).
ALTER TABLE usage_events ADD COLUMN void_invoice text;
ALTER TABLE usage_events ADD COLUMN void_credit_note text;

CREATE TABLE usage_event_versions (
  account_id   text NOT NULL REFERENCES accounts (id),
  id           text NOT NULL,
  version      integer NOT NULL,
  type         text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  billed_at    timestamptz,
  recorded_at  timestamptz NOT NULL,
  data         jsonb NOT NULL,
  metadata     jsonb,
  reservation_id text,
  cost         numeric NOT NULL,
  charges      jsonb NOT NULL,
  paid_from    jsonb,
  draws        jsonb,
  voided_at    timestamptz NOT NULL,
  void_reason  text NOT NULL,
  voided_by    text,
  void_invoice text,
  void_credit_note text,
  PRIMARY KEY (account_id, id, version)
);
