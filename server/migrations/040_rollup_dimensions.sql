-- Report dimensions the catalog declares (a `dimension: true` field such as an LLM's model): each
-- rollup row keeps the values its events carried, as one JSON object of sorted keys ('' for none),
-- so that reports group by them from the rollups, exactly as the ledger, without reading events.
ALTER TABLE usage_rollups ADD COLUMN dimensions text NOT NULL DEFAULT '';
ALTER TABLE usage_rollups DROP CONSTRAINT usage_rollups_pkey;
ALTER TABLE usage_rollups ADD PRIMARY KEY (account_id, hour, channel, service, unit, assistant, campaign, number, meter, dimensions);
ALTER TABLE usage_rollups_daily ADD COLUMN dimensions text NOT NULL DEFAULT '';
ALTER TABLE usage_rollups_daily DROP CONSTRAINT usage_rollups_daily_pkey;
ALTER TABLE usage_rollups_daily ADD PRIMARY KEY (account_id, day, channel, service, unit, assistant, campaign, number, meter, dimensions);
