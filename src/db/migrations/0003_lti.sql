-- 0003 LTI 1.3 tool: platform registrations and deployments, the tool's signing keys, OIDC login
-- state, Dynamic Registration invitations, and what launches bring in (users with their external
-- identities, contexts, memberships, resource links) plus the application sessions they start.
-- Every tenant-owned row carries tenant_id. Issuers, client ids and LTI ids are case-sensitive and
-- opaque (fact sheet §4.3): COLLATE "C" compares them byte for byte.

-- A registration is keyed by (issuer, client_id), never by issuer alone (fact sheet §1.2: Canvas
-- Cloud and Blackboard SaaS use one issuer for every customer). The pair is unique across the whole
-- installation: /lti/login and /lti/launch are shared by all tenants, so a registration must name
-- exactly one tenant.
CREATE TABLE lti_platforms (
  id                         uuid PRIMARY KEY,
  tenant_id                  uuid NOT NULL REFERENCES tenants (id),
  name                       text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  issuer                     text COLLATE "C" NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2048),
  client_id                  text COLLATE "C" NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
  auth_url                   text NOT NULL,
  token_url                  text NOT NULL,
  token_audience             text,
  jwks_url                   text NOT NULL,
  auto_register_deployments  boolean NOT NULL DEFAULT false,
  registered_via             text NOT NULL CHECK (registered_via IN ('manual', 'dynamic')),
  -- Dynamic Registration: the platform's advertised configuration (product, messages, scopes), for admins.
  platform_configuration     jsonb,
  created_at                 timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, client_id)
);
CREATE INDEX lti_platforms_tenant_idx ON lti_platforms (tenant_id, created_at, id);

-- Deployments of a registration: (issuer, client_id, deployment_id). source 'auto' marks ids accepted
-- at launch by the registration's auto-register policy (Canvas course-level installs).
CREATE TABLE lti_deployments (
  platform_id    uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  deployment_id  text COLLATE "C" NOT NULL CHECK (length(deployment_id) BETWEEN 1 AND 255),
  source         text NOT NULL CHECK (source IN ('manual', 'dynamic', 'auto')),
  created_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (platform_id, deployment_id)
);

-- The tool's RS256 signing keys (one set for the installation, served at /.well-known/jwks.json).
-- The private key is a platform secret in the vault. A key signs from activates_at until the next
-- key activates, and stays published for a fixed overlap after that (src/lti/keys/key-schedule.ts);
-- once unpublished its private key is deleted and the row stays as history.
CREATE TABLE lti_tool_keys (
  kid                    text PRIMARY KEY,
  public_jwk             jsonb NOT NULL,
  private_key_secret_id  uuid REFERENCES vault_secrets (id) ON DELETE SET NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  activates_at           timestamptz NOT NULL
);
CREATE INDEX lti_tool_keys_activation_idx ON lti_tool_keys (activates_at);

-- HMAC keys of the launch tokens (the "ltik" of an application session), secrets in the vault.
CREATE TABLE lti_launch_token_keys (
  kid         text PRIMARY KEY,
  secret_id   uuid NOT NULL REFERENCES vault_secrets (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- OIDC login state (SEC §5.1.1; fact sheet §2.3): state and nonce are CSPRNG values stored as their
-- SHA-256, so any app instance can finish a launch another one began. Single use: consumed_at.
CREATE TABLE lti_login_states (
  state_hash         bytea PRIMARY KEY,
  nonce_hash         bytea NOT NULL,
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  platform_id        uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  lti_deployment_id  text COLLATE "C",
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  consumed_at        timestamptz
);
CREATE INDEX lti_login_states_expiry_idx ON lti_login_states (expires_at);

-- Nonces of accepted id_tokens, kept until the token could no longer be valid (SEC §5.1.3 item 9).
CREATE TABLE lti_used_nonces (
  platform_id  uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  nonce_hash   bytea NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (platform_id, nonce_hash)
);
CREATE INDEX lti_used_nonces_expiry_idx ON lti_used_nonces (expires_at);

-- Dynamic Registration invitations: an admin of a tenant creates one; its URL (with a random token,
-- stored as SHA-256) is what the platform's admin pastes into the LMS. Single use, expiring.
CREATE TABLE lti_registration_invitations (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  token_hash   bytea NOT NULL UNIQUE,
  name         text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  created_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  expires_at   timestamptz NOT NULL,
  -- Set while a registration POST to the platform is in flight, so two confirmations cannot race.
  claimed_at   timestamptz,
  used_at      timestamptz,
  revoked_at   timestamptz,
  platform_id  uuid REFERENCES lti_platforms (id) ON DELETE SET NULL
);
CREATE INDEX lti_registration_invitations_tenant_idx ON lti_registration_invitations (tenant_id, created_at, id);

-- What launches bring in. These are the LTI side's own tables; the canonical roster (OneRoster store)
-- is linked later (TODO(lti→roster) in src/lti/session/record-launch.ts).
CREATE TABLE lti_users (
  id                    uuid PRIMARY KEY,
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  name                  text,
  given_name            text,
  family_name           text,
  email                 text,
  picture               text,
  locale                text,
  lis_person_sourcedid  text COLLATE "C",
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lti_users_tenant_idx ON lti_users (tenant_id);

-- External identity map: (tenant, issuer + client_id, sub) → user. Not tied to the registration row,
-- so removing and re-adding a platform maps the same people back to the same users.
CREATE TABLE lti_user_identities (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  issuer        text COLLATE "C" NOT NULL,
  client_id     text COLLATE "C" NOT NULL,
  sub           text COLLATE "C" NOT NULL CHECK (length(sub) BETWEEN 1 AND 255),
  user_id       uuid NOT NULL REFERENCES lti_users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, issuer, client_id, sub)
);
CREATE INDEX lti_user_identities_user_idx ON lti_user_identities (user_id);

-- Context and resource link ids are unique within a deployment (CORE §5.4.1, §5.3.5).
CREATE TABLE lti_contexts (
  id                            uuid PRIMARY KEY,
  tenant_id                     uuid NOT NULL REFERENCES tenants (id),
  issuer                        text COLLATE "C" NOT NULL,
  client_id                     text COLLATE "C" NOT NULL,
  deployment_id                 text COLLATE "C" NOT NULL,
  context_id                    text COLLATE "C" NOT NULL CHECK (length(context_id) BETWEEN 1 AND 255),
  label                         text,
  title                         text,
  types                         text[] NOT NULL DEFAULT '{}',
  lis_course_offering_sourcedid text COLLATE "C",
  lis_course_section_sourcedid  text COLLATE "C",
  created_at                    timestamptz NOT NULL DEFAULT now(),
  updated_at                    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, issuer, client_id, deployment_id, context_id)
);

CREATE TABLE lti_memberships (
  context_id  uuid NOT NULL REFERENCES lti_contexts (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES lti_users (id) ON DELETE CASCADE,
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  roles       text[] NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('administrator', 'teacher', 'student', 'guardian', 'other')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (context_id, user_id)
);

CREATE TABLE lti_resource_links (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  issuer            text COLLATE "C" NOT NULL,
  client_id         text COLLATE "C" NOT NULL,
  deployment_id     text COLLATE "C" NOT NULL,
  resource_link_id  text COLLATE "C" NOT NULL CHECK (length(resource_link_id) BETWEEN 1 AND 255),
  context_id        uuid REFERENCES lti_contexts (id) ON DELETE SET NULL,
  title             text,
  description       text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, issuer, client_id, deployment_id, resource_link_id)
);

-- One row per accepted launch: the application session its launch token points at, bound to
-- (iss, client_id, deployment_id, sub, context) as the fact sheet's check 18 asks. claims keeps the
-- validated id_token for the services that come later (Deep Linking return URL, AGS, NRPS).
CREATE TABLE lti_launches (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  platform_id       uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  deployment_id     text COLLATE "C" NOT NULL,
  message_type      text NOT NULL,
  user_id           uuid REFERENCES lti_users (id) ON DELETE SET NULL,
  sub               text COLLATE "C",
  context_id        uuid REFERENCES lti_contexts (id) ON DELETE SET NULL,
  resource_link_id  uuid REFERENCES lti_resource_links (id) ON DELETE SET NULL,
  roles             text[] NOT NULL,
  target_link_uri   text,
  claims            jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL
);
CREATE INDEX lti_launches_expiry_idx ON lti_launches (expires_at);
CREATE INDEX lti_launches_tenant_idx ON lti_launches (tenant_id, created_at);
