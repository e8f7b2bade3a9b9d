-- Who did what: one row per request that could change something (any method but GET, HEAD and
-- authorize), written in the transaction of the change it made, or after the answer for a request
-- that was refused, failed or changed nothing. Append-only, as the ledger. And every ledger entry
-- names the key whose request made it (null: the server's own work, such as a cycle closing).
CREATE TABLE audit_log (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            text NOT NULL UNIQUE,
  at            timestamptz NOT NULL,
  key_id        text NOT NULL,
  method        text NOT NULL,
  route         text NOT NULL,
  accounts      text[] NOT NULL,
  ids           text[] NOT NULL,
  status        integer NOT NULL,
  transactional boolean NOT NULL,
  request_id    text NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at, seq);
CREATE INDEX audit_log_by_key ON audit_log (key_id, seq);
CREATE INDEX audit_log_by_account ON audit_log USING gin (accounts);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

ALTER TABLE ledger_entries ADD COLUMN key_id text;
