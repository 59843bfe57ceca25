-- 0008 OneRoster REST pulls (src/oneroster/pull): one row per attempt to pull a roster from a
-- OneRoster 1.1/1.2 provider into a tenant. The data itself goes through the CSV import
-- (roster_imports, import_id); this row says where it came from, what was asked (full or a delta
-- since a moment), how it went, and the cursor the next delta starts from. "The last successful
-- pull" of a tenant and provider is read from here. Credentials are never stored here: stored
-- connections belong to the sync engine. (Written as 0005 in the brief; 0005–0007 were taken, and
-- the migration loader refuses gaps.)
CREATE TABLE oneroster_pulls (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  -- The provider's base URL as configured, without trailing slashes (the key of "the same provider").
  base_url     text NOT NULL,
  -- Null until known: detection may fail before the version is settled.
  version      text CHECK (version IN ('1.1', '1.2')),
  mode         text NOT NULL CHECK (mode IN ('full', 'delta')),
  -- A delta's dateLastModified> bound; null for full pulls.
  since        timestamptz,
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  import_id    uuid REFERENCES roster_imports (id),
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  -- Where the next delta starts (set on success): this pull's start, less the overlap for clock skew.
  cursor       timestamptz,
  error        text,
  -- The import's counts per file, and the HTTP side (requests, pages, retries, records per endpoint).
  counts       jsonb NOT NULL DEFAULT '{}'::jsonb,
  stats        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The provider's data problems, located by endpoint, sourcedId and JSON field (the first 1000).
  diagnostics  jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX oneroster_pulls_tenant_idx ON oneroster_pulls (tenant_id, started_at DESC);
CREATE INDEX oneroster_pulls_last_success_idx ON oneroster_pulls (tenant_id, base_url, started_at DESC) WHERE status = 'succeeded';
