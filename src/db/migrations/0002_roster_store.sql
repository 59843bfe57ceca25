-- 0002 roster store: the canonical OneRoster 1.2 rostering and gradebook records of each tenant.
--
-- One table for every OneRoster file, keyed (tenant, file, sourcedId): `fields` holds the record's
-- values under their OneRoster 1.2 CSV column names (1.1 input is mapped on the way in), `metadata`
-- its metadata.* extension columns. content_hash is the SHA-1 of the canonical values, so an import
-- that changes nothing writes nothing and leaves date_last_modified alone. sourcedIds are
-- case-sensitive (text, default collation "C" comparison via the primary key on bytes).
-- Access paths that the REST provider needs are added as expression indexes next to it.
CREATE TABLE roster_records (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  file                text NOT NULL,
  sourced_id          text COLLATE "C" NOT NULL,
  status              text NOT NULL CHECK (status IN ('active', 'tobedeleted')),
  date_last_modified  timestamptz NOT NULL,
  content_hash        bytea NOT NULL,
  fields              jsonb NOT NULL,
  metadata            jsonb,
  PRIMARY KEY (tenant_id, file, sourced_id)
);
CREATE INDEX roster_records_modified_idx ON roster_records (tenant_id, file, date_last_modified);
-- A user's roles (1.1 export folds them back into users.role and users.orgSourcedIds).
CREATE INDEX roster_records_role_user_idx ON roster_records (tenant_id, (fields->>'userSourcedId')) WHERE file = 'roles';

-- One row per import attempt: who, when, what came in, what it changed, and why it failed.
CREATE TABLE roster_imports (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  status           text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  oneroster_version text,
  source_name      text NOT NULL,
  actor_type       text NOT NULL,
  actor_id         text NOT NULL,
  file_hashes      jsonb NOT NULL DEFAULT '{}'::jsonb,
  counts           jsonb NOT NULL DEFAULT '{}'::jsonb,
  error_count      integer NOT NULL DEFAULT 0,
  warning_count    integer NOT NULL DEFAULT 0,
  diagnostics      jsonb NOT NULL DEFAULT '[]'::jsonb,
  failure          text,
  started_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  finished_at      timestamptz,
  duration_ms      integer
);
CREATE INDEX roster_imports_tenant_idx ON roster_imports (tenant_id, started_at DESC);

-- Rows of imports in progress, loaded while the package is validated and merged into roster_records
-- in one transaction afterwards. Unlogged: it is disposable; a crash loses only an unfinished import,
-- whose rows are swept when the next import starts.
CREATE UNLOGGED TABLE roster_import_rows (
  import_id           uuid NOT NULL,
  file                text NOT NULL,
  sourced_id          text COLLATE "C" NOT NULL,
  status              text NOT NULL,
  date_last_modified  timestamptz,
  content_hash        bytea NOT NULL,
  fields              jsonb NOT NULL,
  metadata            jsonb
);
CREATE INDEX roster_import_rows_idx ON roster_import_rows (import_id, file, sourced_id);
