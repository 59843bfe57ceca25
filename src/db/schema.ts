import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the tables created by src/db/migrations. Keep in step with the SQL: a column
 * added there is added here in the same commit.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface TenantsTable {
  id: string;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OAuthClientsTable {
  client_id: string;
  tenant_id: string;
  name: ColumnType<string, string | undefined, string>;
  secret_hash: Buffer;
  scopes: string[];
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  /** Vault secret holding the client secret itself, for OAuth 1.0a signing (0005); null = OAuth 2.0 only. */
  oauth1_secret_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OAuth1NoncesTable {
  client_id: string;
  nonce: string;
  timestamp_s: ColumnType<string, number | string, number | string>;
  expires_at: Timestamp;
}

/** 0006: bumped by a trigger on every statement that changes a tenant's roster_records. */
export interface RosterVersionsTable {
  tenant_id: string;
  /** int8: node-postgres returns it as a string. */
  version: ColumnType<string, never, never>;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string | null;
  name: ColumnType<string, string | undefined, string>;
  key_hash: Buffer;
  key_prefix: string;
  scopes: string[];
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface AccessTokensTable {
  token_hash: Buffer;
  client_id: string;
  tenant_id: string;
  scopes: string[];
  issued_at: Timestamp;
  expires_at: Timestamp;
}

export interface VaultDataKeysTable {
  id: string;
  tenant_id: string | null;
  wrapped_key: Buffer;
  master_key_id: string;
  created_at: Timestamp;
  rewrapped_at: NullableTimestamp;
}

export interface VaultSecretsTable {
  id: string;
  tenant_id: string | null;
  data_key_id: string;
  purpose: string;
  ciphertext: Buffer;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditEventsTable {
  /** bigint: comes back from pg as a decimal string. */
  id: ColumnType<string, never, never>;
  tenant_id: string | null;
  actor_type: 'api_key' | 'oauth_client' | 'cli' | 'system';
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  source_ip: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  occurred_at: Generated<Date>;
}

export interface RosterRecordsTable {
  tenant_id: string;
  file: string;
  sourced_id: string;
  status: 'active' | 'tobedeleted';
  date_last_modified: Timestamp;
  content_hash: Buffer;
  fields: ColumnType<Record<string, string>, string, string>;
  metadata: ColumnType<Record<string, string> | null, string | null, string | null>;
}

export interface RosterImportsTable {
  id: string;
  tenant_id: string;
  status: 'running' | 'succeeded' | 'failed';
  oneroster_version: string | null;
  source_name: string;
  actor_type: string;
  actor_id: string;
  file_hashes: ColumnType<Record<string, string>, string | undefined, string>;
  counts: ColumnType<Record<string, ImportCounts>, string | undefined, string>;
  error_count: ColumnType<number, number | undefined, number>;
  warning_count: ColumnType<number, number | undefined, number>;
  diagnostics: ColumnType<unknown[], string | undefined, string>;
  failure: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  duration_ms: number | null;
}

/** 0008 OneRoster REST pulls (src/oneroster/pull): one row per pull attempt. */
export interface OneRosterPullsTable {
  id: string;
  tenant_id: string;
  base_url: string;
  version: '1.1' | '1.2' | null;
  mode: 'full' | 'delta';
  since: NullableTimestamp;
  status: 'running' | 'succeeded' | 'failed';
  import_id: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  cursor: NullableTimestamp;
  error: string | null;
  counts: ColumnType<Record<string, ImportCounts>, string | undefined, string>;
  stats: ColumnType<Record<string, unknown>, string | undefined, string>;
  diagnostics: ColumnType<unknown[], string | undefined, string>;
}

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** 0003 LTI 1.3 tool (src/lti). */
export interface LtiPlatformsTable {
  id: string;
  tenant_id: string;
  name: ColumnType<string, string | undefined, string>;
  issuer: string;
  client_id: string;
  auth_url: string;
  token_url: string;
  token_audience: string | null;
  jwks_url: string;
  auto_register_deployments: ColumnType<boolean, boolean | undefined, boolean>;
  registered_via: 'manual' | 'dynamic';
  platform_configuration: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LtiDeploymentsTable {
  platform_id: string;
  tenant_id: string;
  deployment_id: string;
  source: 'manual' | 'dynamic' | 'auto';
  created_at: Timestamp;
}

export interface LtiToolKeysTable {
  kid: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  private_key_secret_id: string | null;
  created_at: Timestamp;
  activates_at: Timestamp;
}

export interface LtiLaunchTokenKeysTable {
  kid: string;
  secret_id: string;
  created_at: Timestamp;
}

export interface LtiLoginStatesTable {
  state_hash: Buffer;
  nonce_hash: Buffer;
  tenant_id: string;
  platform_id: string;
  lti_deployment_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
}

export interface LtiUsedNoncesTable {
  platform_id: string;
  nonce_hash: Buffer;
  expires_at: Timestamp;
}

export interface LtiRegistrationInvitationsTable {
  id: string;
  tenant_id: string;
  token_hash: Buffer;
  name: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  claimed_at: NullableTimestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  platform_id: string | null;
}

export interface LtiUsersTable {
  id: string;
  tenant_id: string;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  picture: string | null;
  locale: string | null;
  lis_person_sourcedid: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LtiUserIdentitiesTable {
  tenant_id: string;
  issuer: string;
  client_id: string;
  sub: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface LtiContextsTable {
  id: string;
  tenant_id: string;
  issuer: string;
  client_id: string;
  deployment_id: string;
  context_id: string;
  label: string | null;
  title: string | null;
  types: ColumnType<string[], string[] | undefined, string[]>;
  lis_course_offering_sourcedid: string | null;
  lis_course_section_sourcedid: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LtiMembershipsTable {
  context_id: string;
  user_id: string;
  tenant_id: string;
  roles: string[];
  kind: 'administrator' | 'teacher' | 'student' | 'guardian' | 'other';
  updated_at: Timestamp;
}

export interface LtiResourceLinksTable {
  id: string;
  tenant_id: string;
  issuer: string;
  client_id: string;
  deployment_id: string;
  resource_link_id: string;
  context_id: string | null;
  title: string | null;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LtiLaunchesTable {
  id: string;
  tenant_id: string;
  platform_id: string;
  deployment_id: string;
  message_type: string;
  user_id: string | null;
  sub: string | null;
  context_id: string | null;
  resource_link_id: string | null;
  roles: string[];
  target_link_uri: string | null;
  claims: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** 0007 LTI Advantage service clients (src/lti/services). */
export interface LtiServiceCallsTable {
  /** bigserial: node-postgres returns int8 as a string. */
  id: ColumnType<string, never, never>;
  tenant_id: string;
  platform_id: string | null;
  service: 'token' | 'nrps.memberships' | 'ags.lineitems' | 'ags.lineitem' | 'ags.scores' | 'ags.results';
  method: string;
  url: string;
  status: number | null;
  outcome: 'ok' | 'retoken' | 'http-error' | 'invalid-response' | 'transport-error';
  duration_ms: number;
  error: string | null;
  at: Timestamp;
}

export interface LtiScoreOutboxTable {
  id: string;
  tenant_id: string;
  platform_id: string | null;
  line_item_url: string;
  user_id: string;
  score: ColumnType<Record<string, unknown>, string, string>;
  state: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined, 'pending' | 'sent' | 'failed'>;
  failure: 'stale-score' | 'rejected' | 'attempts-exhausted' | 'registration-missing' | 'undeliverable' | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface Database {
  tenants: TenantsTable;
  oauth_clients: OAuthClientsTable;
  oauth1_nonces: OAuth1NoncesTable;
  roster_versions: RosterVersionsTable;
  api_keys: ApiKeysTable;
  access_tokens: AccessTokensTable;
  vault_data_keys: VaultDataKeysTable;
  vault_secrets: VaultSecretsTable;
  audit_events: AuditEventsTable;
  roster_records: RosterRecordsTable;
  roster_imports: RosterImportsTable;
  oneroster_pulls: OneRosterPullsTable;
  schema_migrations: SchemaMigrationsTable;
  lti_platforms: LtiPlatformsTable;
  lti_deployments: LtiDeploymentsTable;
  lti_tool_keys: LtiToolKeysTable;
  lti_launch_token_keys: LtiLaunchTokenKeysTable;
  lti_login_states: LtiLoginStatesTable;
  lti_used_nonces: LtiUsedNoncesTable;
  lti_registration_invitations: LtiRegistrationInvitationsTable;
  lti_users: LtiUsersTable;
  lti_user_identities: LtiUserIdentitiesTable;
  lti_contexts: LtiContextsTable;
  lti_memberships: LtiMembershipsTable;
  lti_resource_links: LtiResourceLinksTable;
  lti_launches: LtiLaunchesTable;
  lti_service_calls: LtiServiceCallsTable;
  lti_score_outbox: LtiScoreOutboxTable;
}
