-- DATA-MODEL.md: history and the audit trail are append-only. A trigger refuses UPDATE and DELETE
-- (TRUNCATE too: it would empty them without a row trigger firing).
CREATE FUNCTION tm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER referral_history_append_only BEFORE UPDATE OR DELETE ON referral_history FOR EACH ROW EXECUTE FUNCTION tm_refuse_change();
--> statement-breakpoint
CREATE TRIGGER referral_history_no_truncate BEFORE TRUNCATE ON referral_history FOR EACH STATEMENT EXECUTE FUNCTION tm_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION tm_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION tm_refuse_change();
--> statement-breakpoint
-- History keeps instants as text in ISO 8601 UTC, without milliseconds when they are 0 (as the SQLite engine writes them).
-- Interval arithmetic on whole milliseconds is exact, where to_timestamp(ms / 1000.0) goes through a float.
CREATE FUNCTION tm_iso_instant(ms bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT replace(to_char((timestamp '1970-01-01 00:00:00' + ms * interval '1 millisecond'), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '.000Z', 'Z')
$$;
--> statement-breakpoint
-- The key of the keyed hash of typed e-mail addresses, made once per database (256 bits from the server's strong random source).
INSERT INTO app_keys (name, value) VALUES ('email_hash', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
--> statement-breakpoint
-- A database's generation: a restore makes a new one, so that no server applies changes since a batch of another history.
INSERT INTO meta (key, value) VALUES ('generation', replace(gen_random_uuid()::text, '-', ''));
