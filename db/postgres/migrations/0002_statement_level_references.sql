ALTER TABLE "referrals" DROP CONSTRAINT "referrals_unit_units_code_fk";
--> statement-breakpoint
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_campaign_campaigns_code_fk";
--> statement-breakpoint
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_platform_platforms_code_fk";
--> statement-breakpoint
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_group_code_groups_code_fk";
--> statement-breakpoint
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_created_batch_import_batches_id_fk";
--> statement-breakpoint
ALTER TABLE "referrals" DROP CONSTRAINT "referrals_updated_batch_import_batches_id_fk";
--> statement-breakpoint
-- The references of referrals, checked once per statement over its new rows (one join, not six lookups per row), with
-- the rows they name locked FOR KEY SHARE as a foreign key locks them: a concurrent delete of one waits, then sees them.
CREATE FUNCTION tm_check_referral_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  u text[];
  p text[];
  g text[];
  c text[];
  b bigint[];
  missing text;
  what text;
BEGIN
  -- One pass over the statement's rows: the distinct codes and batches they name (a few hundred at most).
  SELECT array_agg(DISTINCT unit), array_agg(DISTINCT platform), array_agg(DISTINCT group_code),
         coalesce(array_agg(DISTINCT campaign) FILTER (WHERE campaign IS NOT NULL), '{}'),
         array_agg(DISTINCT created_batch) || array_agg(DISTINCT updated_batch)
    INTO u, p, g, c, b FROM new_rows;
  IF u IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM units WHERE code = ANY (u) FOR KEY SHARE;
  PERFORM 1 FROM platforms WHERE code = ANY (p) FOR KEY SHARE;
  PERFORM 1 FROM groups WHERE code = ANY (g) FOR KEY SHARE;
  PERFORM 1 FROM campaigns WHERE code = ANY (c) FOR KEY SHARE;
  PERFORM 1 FROM import_batches WHERE id = ANY (b) FOR KEY SHARE;
  SELECT x, 'unit' INTO missing, what FROM unnest(u) x WHERE NOT EXISTS (SELECT 1 FROM units WHERE code = x) LIMIT 1;
  IF missing IS NULL THEN SELECT x, 'platform' INTO missing, what FROM unnest(p) x WHERE NOT EXISTS (SELECT 1 FROM platforms WHERE code = x) LIMIT 1; END IF;
  IF missing IS NULL THEN SELECT x, 'group_code' INTO missing, what FROM unnest(g) x WHERE NOT EXISTS (SELECT 1 FROM groups WHERE code = x) LIMIT 1; END IF;
  IF missing IS NULL THEN SELECT x, 'campaign' INTO missing, what FROM unnest(c) x WHERE NOT EXISTS (SELECT 1 FROM campaigns WHERE code = x) LIMIT 1; END IF;
  IF missing IS NULL THEN SELECT x::text, 'import batch' INTO missing, what FROM unnest(b) x WHERE NOT EXISTS (SELECT 1 FROM import_batches WHERE id = x) LIMIT 1; END IF;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'referrals name % % that does not exist', what, missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER referrals_references_on_insert AFTER INSERT ON referrals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tm_check_referral_references();
--> statement-breakpoint
CREATE TRIGGER referrals_references_on_update AFTER UPDATE ON referrals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tm_check_referral_references();
--> statement-breakpoint
-- The other side: a code (or batch) that referrals name is neither deleted nor renamed. The trigger's arguments: the
-- key column, its type, and the columns of referrals that name it.
CREATE FUNCTION tm_refuse_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  key text := to_jsonb(OLD) ->> TG_ARGV[0];
  named boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) ->> TG_ARGV[0]) = key THEN
    RETURN NEW;
  END IF;
  FOR i IN 2 .. TG_NARGS - 1 LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM referrals WHERE %I = CAST($1 AS %s))', TG_ARGV[i], TG_ARGV[1]) INTO named USING key;
    IF named THEN
      RAISE EXCEPTION '% % is named by referrals (%)', TG_TABLE_NAME, key, TG_ARGV[i] USING ERRCODE = 'foreign_key_violation';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER units_referenced BEFORE UPDATE OR DELETE ON units FOR EACH ROW EXECUTE FUNCTION tm_refuse_referenced('code', 'text', 'unit');
--> statement-breakpoint
CREATE TRIGGER platforms_referenced BEFORE UPDATE OR DELETE ON platforms FOR EACH ROW EXECUTE FUNCTION tm_refuse_referenced('code', 'text', 'platform');
--> statement-breakpoint
CREATE TRIGGER groups_referenced BEFORE UPDATE OR DELETE ON groups FOR EACH ROW EXECUTE FUNCTION tm_refuse_referenced('code', 'text', 'group_code');
--> statement-breakpoint
CREATE TRIGGER campaigns_referenced BEFORE UPDATE OR DELETE ON campaigns FOR EACH ROW EXECUTE FUNCTION tm_refuse_referenced('code', 'text', 'campaign');
--> statement-breakpoint
CREATE TRIGGER import_batches_referenced BEFORE UPDATE OR DELETE ON import_batches FOR EACH ROW EXECUTE FUNCTION tm_refuse_referenced('id', 'bigint', 'created_batch', 'updated_batch');
