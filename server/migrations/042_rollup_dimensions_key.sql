-- The rollups' key holds the declared dimensions by their SHA-256, not their text: PostgreSQL's
-- btree keeps an index row of at most 2,704 bytes, and four dimension values of 128 characters
-- (up to 3 bytes each in UTF-8, 6 where JSON escapes them) beside the three labels could pass it;
-- one such row would fail the fold, which moves every waiting increment in one statement. The
-- digest is 32 bytes whatever the text; the text stays in the row for reports to read.
CREATE FUNCTION rollup_dimensions_key(dimensions text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sha256(convert_to(dimensions, 'UTF8')) $$;
ALTER TABLE usage_rollups DROP CONSTRAINT usage_rollups_pkey;
CREATE UNIQUE INDEX usage_rollups_key ON usage_rollups (account_id, hour, channel, service, unit, assistant, campaign, number, meter, rollup_dimensions_key(dimensions));
ALTER TABLE usage_rollups_daily DROP CONSTRAINT usage_rollups_daily_pkey;
CREATE UNIQUE INDEX usage_rollups_daily_key ON usage_rollups_daily (account_id, day, channel, service, unit, assistant, campaign, number, meter, rollup_dimensions_key(dimensions));
