-- Catalog versions published at run time. Each keeps the catalog's JSON exactly as it was published
-- (a text, not jsonb: GET /v1/catalog answers it in the very form it was given), its digest (SHA-256
-- of the JSON with its keys sorted), when and by whom (an API key's id, or `file:<path>` for the
-- catalog a server started with). Versions never change: accounts rated on one must be rated the
-- same way tomorrow.
CREATE TABLE catalog_versions (
  version integer PRIMARY KEY CHECK (version > 0),
  catalog text NOT NULL,
  digest text NOT NULL,
  published_at timestamptz NOT NULL,
  published_by text NOT NULL
);

CREATE FUNCTION catalog_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalog versions are immutable';
END;
$$;

CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE OR DELETE ON catalog_versions
  FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();

-- The catalog version each account is rated, billed and shown on (grandfathering). Accounts opened
-- before versions existed were on the catalog the server started with, which becomes version 1.
ALTER TABLE accounts ADD COLUMN catalog_version integer NOT NULL DEFAULT 1;
