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

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
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
  api_keys: ApiKeysTable;
  access_tokens: AccessTokensTable;
  vault_data_keys: VaultDataKeysTable;
  vault_secrets: VaultSecretsTable;
  audit_events: AuditEventsTable;
  roster_records: RosterRecordsTable;
  roster_imports: RosterImportsTable;
  schema_migrations: SchemaMigrationsTable;
}
