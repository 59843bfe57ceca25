-- 0001 platform core: tenants, API credentials, access tokens, the secret vault, the audit log.
-- Every tenant-owned table carries tenant_id; queries are always scoped by it (src/tenancy).
-- created_at columns that page lists are kept at millisecond precision, the precision of the
-- keyset cursors (src/db/keyset.ts): a microsecond remainder would make a page repeat its last row.

CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_created_idx ON tenants (created_at, id);

-- OAuth 2.0 clients (client credentials grant). The secret is random (256 bits) and stored as its
-- SHA-256: a slow password hash buys nothing against a secret that cannot be guessed.
CREATE TABLE oauth_clients (
  client_id     text PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  name          text NOT NULL DEFAULT '',
  secret_hash   bytea NOT NULL,
  scopes        text[] NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX oauth_clients_tenant_idx ON oauth_clients (tenant_id, created_at, client_id);

-- API keys. tenant_id NULL marks a platform credential (platform administrators).
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  tenant_id     uuid REFERENCES tenants (id),
  name          text NOT NULL DEFAULT '',
  key_hash      bytea NOT NULL UNIQUE,
  key_prefix    text NOT NULL,
  scopes        text[] NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at, id);

-- Opaque bearer tokens issued by /oauth/token, stored hashed. Opaque rather than self-contained so a
-- revoked client's tokens stop working at once.
CREATE TABLE access_tokens (
  token_hash  bytea PRIMARY KEY,
  client_id   text NOT NULL REFERENCES oauth_clients (client_id),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  scopes      text[] NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX access_tokens_expiry_idx ON access_tokens (expires_at);
CREATE INDEX access_tokens_client_idx ON access_tokens (client_id);

-- Secret vault: per-tenant AES-256-GCM data keys, each wrapped by a master key (identified by
-- master_key_id, a fingerprint — never the key). tenant_id NULL: the platform's own data key.
CREATE TABLE vault_data_keys (
  id             uuid PRIMARY KEY,
  tenant_id      uuid REFERENCES tenants (id),
  wrapped_key    bytea NOT NULL,
  master_key_id  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  rewrapped_at   timestamptz
);
CREATE UNIQUE INDEX vault_data_keys_one_per_tenant ON vault_data_keys ((coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)));

CREATE TABLE vault_secrets (
  id           uuid PRIMARY KEY,
  tenant_id    uuid REFERENCES tenants (id),
  data_key_id  uuid NOT NULL REFERENCES vault_data_keys (id),
  purpose      text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
  ciphertext   bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vault_secrets_tenant_idx ON vault_secrets (tenant_id, id);

-- Audit log: append-only. The trigger refuses UPDATE, DELETE and TRUNCATE for everyone, the
-- application included.
CREATE TABLE audit_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    uuid REFERENCES tenants (id),
  actor_type   text NOT NULL CHECK (actor_type IN ('api_key', 'oauth_client', 'cli', 'system')),
  actor_id     text NOT NULL,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text,
  request_id   text,
  source_ip    text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, id DESC);
CREATE INDEX audit_events_action_idx ON audit_events (action, id DESC);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
