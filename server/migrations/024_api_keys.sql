-- API keys besides the bootstrap key: stored as a SHA-256 of the key (the key itself is shown
-- once, at creation), with their scopes and the accounts they are limited to (null: all).
-- Revoking sets revoked_at: a key row is never deleted, so what a key did stays attributable.
CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['ingest', 'read', 'admin']),
  accounts     text[],
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
