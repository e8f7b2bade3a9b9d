-- The hourly rollups summed per UTC day, kept in the same write: reports over whole days (a cycle,
-- a month) read these, and only the hours at a period's edges from usage_rollups.
CREATE TABLE usage_rollups_daily (
  account_id  text NOT NULL,
  day         timestamptz NOT NULL,
  channel     text NOT NULL,
  service     text NOT NULL,
  unit        text NOT NULL,
  assistant   text NOT NULL,
  campaign    text NOT NULL,
  number      text NOT NULL,
  meter       text NOT NULL,
  meter_unit  text NOT NULL,
  meter_used  numeric NOT NULL,
  charges     bigint NOT NULL,
  quantity    numeric NOT NULL,
  chargeable  numeric NOT NULL,
  amount      numeric NOT NULL,
  PRIMARY KEY (account_id, day, channel, service, unit, assistant, campaign, number, meter)
);
CREATE INDEX usage_rollups_daily_by_day ON usage_rollups_daily (day);

-- Rollups kept before this migration, summed into days.
INSERT INTO usage_rollups_daily
SELECT account_id, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', channel, service, unit, assistant, campaign, number, meter,
       min(meter_unit), sum(meter_used), sum(charges), sum(quantity), sum(chargeable), sum(amount)
FROM usage_rollups
GROUP BY 1, 2, channel, service, unit, assistant, campaign, number, meter;
