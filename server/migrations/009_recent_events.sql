-- An account's latest events first: the dashboard's recent charges, without scanning the account.
CREATE INDEX usage_events_recent ON usage_events (account_id, occurred_at DESC);
