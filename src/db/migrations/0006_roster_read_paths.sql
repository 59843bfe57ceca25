-- 0006 OneRoster REST read paths at scale (issue 4 performance).
--
-- Collections list active records in sourcedId order: this partial index lets a page's offset walk
-- and a count run as index-only scans, without visiting the rows they skip.
CREATE INDEX roster_records_active_idx ON roster_records (tenant_id, file, sourced_id) WHERE status = 'active';

-- A per-tenant roster version, bumped by every statement that changes the tenant's roster records
-- (an import's merge, a REST write). Readers key cached results — X-Total-Count — on it, so a cached
-- value is never served after the data it counted has changed, whichever process changed it.
-- Statement-level triggers with transition tables: one bump per statement, however many rows.
CREATE TABLE roster_versions (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  version   bigint NOT NULL
);

CREATE FUNCTION roster_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO roster_versions AS v (tenant_id, version)
    SELECT DISTINCT tenant_id, 1 FROM changed
  ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER roster_records_version_insert AFTER INSERT ON roster_records
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_versions_bump();
CREATE TRIGGER roster_records_version_update AFTER UPDATE ON roster_records
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_versions_bump();
CREATE TRIGGER roster_records_version_delete AFTER DELETE ON roster_records
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_versions_bump();

-- Trigram indexes for the `~` (contains, ignoring case) filters clients send on people's names and
-- logins (fact sheet §3: SDS filters `username~`, `email~`; directories search family names).
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it. Where it cannot be
-- created the indexes are skipped with a notice and `~` still works, by scanning.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
  RAISE NOTICE 'pg_trgm is not available (%): OneRoster ~ filters will scan instead of using trigram indexes', SQLERRM;
END
$$;
DO $$
DECLARE
  f text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    FOREACH f IN ARRAY ARRAY['givenName', 'familyName', 'email', 'username'] LOOP
      EXECUTE format('CREATE INDEX %I ON roster_records USING gin ((fields->>%L) gin_trgm_ops) WHERE file = %L',
        'roster_users_' || lower(f) || '_trgm_idx', f, 'users');
    END LOOP;
  END IF;
END
$$;

-- Statistics on the JSON fields that filters and nested routes compare. The planner ignores the
-- expression statistics of partial indexes (all of 0004's are partial), so without these every
-- `fields->>'x' = …` was estimated at 0.5% of the table: a class's 27 enrollments at 4,000, every
-- student role of a district at 550 — plans built on that took seconds (a role filter hashed 100,000
-- roles instead of probing 2,500). (file, role) together, because a role's frequency depends on the file.
CREATE STATISTICS roster_records_file_role_stats (mcv, ndistinct) ON file, (fields->>'role') FROM roster_records;
CREATE STATISTICS roster_records_user_stats ON (fields->>'userSourcedId') FROM roster_records;
CREATE STATISTICS roster_records_class_stats ON (fields->>'classSourcedId') FROM roster_records;
CREATE STATISTICS roster_records_school_stats ON (fields->>'schoolSourcedId') FROM roster_records;
CREATE STATISTICS roster_records_line_item_stats ON (fields->>'lineItemSourcedId') FROM roster_records;
CREATE STATISTICS roster_records_family_name_stats ON (fields->>'familyName') FROM roster_records;
