-- What reports read: every charge rolled up, at ingestion, per account, hour and the dimensions a
-- report can group by. A derived cache of usage_events (rebuildable from their charges); reports
-- read it instead of scanning events, so a month of a million events is a few thousand rows.
CREATE TABLE usage_rollups (
  account_id  text NOT NULL,
  -- The UTC hour the events occurred in: reports resolve periods to whole hours.
  hour        timestamptz NOT NULL,
  channel     text NOT NULL,
  service     text NOT NULL,
  unit        text NOT NULL,
  -- '' when the event did not name one.
  assistant   text NOT NULL,
  campaign    text NOT NULL,
  number      text NOT NULL,
  -- The allowance meter the charges drew on ('' for none), and how much, in the meter's unit.
  meter       text NOT NULL,
  meter_unit  text NOT NULL,
  meter_used  numeric NOT NULL,
  charges     bigint NOT NULL,
  quantity    numeric NOT NULL,
  chargeable  numeric NOT NULL,
  amount      numeric NOT NULL,
  PRIMARY KEY (account_id, hour, channel, service, unit, assistant, campaign, number, meter)
);
-- Operator-wide reports (no account) scan by hour.
CREATE INDEX usage_rollups_by_hour ON usage_rollups (hour);
