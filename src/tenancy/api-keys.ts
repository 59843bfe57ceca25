import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { keysetPage } from '../db/keyset.js';
import type { ApiKeysTable, Database } from '../db/schema.js';
import type { ApiKey, ApiKeyCreated } from '../generated/api-types.js';
import { notFound } from '../problems.js';
import { type ActorContext, recordAudit } from '../security/audit-log.js';
import { isUuid, type TenantId } from './ids.js';
import { assertScopesFor } from './scope-checks.js';
import { hashSecret, maskSecret, newSecret } from './secret-tokens.js';

type Row = Selectable<ApiKeysTable>;

/** tenantId null creates a platform key (platform-level scopes only). The key is returned here only. */
export async function createApiKey(
  db: Kysely<Database>,
  ctx: ActorContext,
  tenantId: TenantId | null,
  input: { name?: string; scopes: string[] },
): Promise<ApiKeyCreated> {
  assertScopesFor(input.scopes, tenantId === null ? 'platform' : 'tenant');
  const key = newSecret('ehk');
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_keys')
      .values({ id, tenant_id: tenantId, name: input.name ?? '', key_hash: hashSecret(key), key_prefix: maskSecret(key), scopes: input.scopes })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { tenantId, action: 'api_key.create', target: { type: 'api_key', id }, details: { scopes: input.scopes, name: row.name } });
    return { id, key, tenantId, name: row.name, maskedKey: row.key_prefix, scopes: row.scopes, createdAt: row.created_at.toISOString() };
  });
}

/** A tenant's keys; tenantId null lists the platform keys. */
export async function listApiKeys(
  db: Kysely<Database>,
  tenantId: TenantId | null,
  page: { limit: number; cursor?: string },
): Promise<{ items: ApiKey[]; nextCursor: string | null }> {
  const p = await keysetPage<Row>(page, { column: 'id', type: 'uuid', isId: isUuid, idOf: (r) => r.id }, ({ after, orderBy, limit }) => {
    let q = db.selectFrom('api_keys').selectAll();
    q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
    if (after) q = q.where(after);
    return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
  });
  return { items: p.rows.map(toApiKey), nextCursor: p.nextCursor };
}

/** Revokes a key of this owner (tenant, or the platform when null); unknown or foreign ids are 404. */
export async function revokeApiKey(db: Kysely<Database>, ctx: ActorContext, tenantId: TenantId | null, id: string): Promise<ApiKey> {
  if (!isUuid(id)) throw notFound(`API key ${id}`);
  return db.transaction().execute(async (trx) => {
    let q = trx.updateTable('api_keys').set({ revoked_at: sql`coalesce(revoked_at, now())` }).where('id', '=', id);
    q = tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) throw notFound(`API key ${id}`);
    await recordAudit(trx, ctx, { tenantId, action: 'api_key.revoke', target: { type: 'api_key', id } });
    return toApiKey(row);
  });
}

/** The owner of a key id, for the CLI's `apikey revoke <id>` which names no tenant. */
export async function apiKeyOwner(db: Kysely<Database>, id: string): Promise<{ tenantId: TenantId | null } | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('api_keys').select('tenant_id').where('id', '=', id).executeTakeFirst();
  return row && { tenantId: row.tenant_id as TenantId | null };
}

function toApiKey(r: Row): ApiKey {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    maskedKey: r.key_prefix,
    scopes: r.scopes,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}
