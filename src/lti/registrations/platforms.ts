import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { keysetPage } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { LtiPlatform, LtiPlatformCreate, LtiPlatformUpdate } from '../../generated/api-types.js';
import { notFound, Problem } from '../../problems.js';
import { type ActorContext, recordAudit } from '../../security/audit-log.js';
import { isUuid, type TenantId } from '../../tenancy/ids.js';
import { type PlatformRow, toApiPlatform } from './registration.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewPlatform extends LtiPlatformCreate {
  registeredVia?: 'manual' | 'dynamic';
  /** Dynamic Registration: what the platform advertised. */
  platformConfiguration?: Record<string, unknown>;
}

/**
 * Registers a platform in a tenant, with its first deployments, in one audited transaction.
 * (issuer, client_id) is unique across the installation (see migration 0003): a pair registered
 * anywhere answers 409 without saying where, so another tenant's registration stays invisible.
 */
export async function createPlatform(db: Executor, ctx: ActorContext, tenantId: TenantId, input: NewPlatform): Promise<LtiPlatform> {
  const run = async (trx: Executor) => {
    const id = randomUUID();
    const row = await trx
      .insertInto('lti_platforms')
      .values({
        id,
        tenant_id: tenantId,
        name: input.name?.trim() ?? '',
        issuer: input.issuer,
        client_id: input.clientId,
        auth_url: input.authUrl,
        token_url: input.tokenUrl,
        token_audience: input.tokenAudience ?? null,
        jwks_url: input.jwksUrl,
        auto_register_deployments: input.autoRegisterDeployments ?? false,
        registered_via: input.registeredVia ?? 'manual',
        platform_configuration: input.platformConfiguration ? JSON.stringify(input.platformConfiguration) : null,
      })
      .onConflict((oc) => oc.columns(['issuer', 'client_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      throw new Problem('conflict', `a platform with issuer ${input.issuer} and client_id ${input.clientId} is already registered in this installation`);
    }
    const deployments = [...new Set(input.deployments ?? [])];
    if (deployments.length > 0) {
      const source = input.registeredVia === 'dynamic' ? 'dynamic' : 'manual';
      await trx
        .insertInto('lti_deployments')
        .values(deployments.map((d) => ({ platform_id: id, tenant_id: tenantId, deployment_id: d, source })))
        .execute();
    }
    await recordAudit(trx, ctx, {
      tenantId,
      action: 'lti.platform.create',
      target: { type: 'lti_platform', id },
      details: { issuer: row.issuer, clientId: row.client_id, deployments, registeredVia: row.registered_via },
    });
    return toApiPlatform(row, deployments.length);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export async function getPlatform(db: Executor, tenantId: TenantId, id: string): Promise<LtiPlatform> {
  const row = await platformRow(db, tenantId, id);
  return toApiPlatform(row, await deploymentCount(db, id));
}

/** Oldest first, keyset-paged; `tenantId` undefined lists every tenant's (the CLI's operator view). */
export async function listPlatforms(
  db: Executor,
  tenantId: TenantId | undefined,
  page: { limit: number; cursor?: string },
): Promise<{ items: LtiPlatform[]; nextCursor: string | null }> {
  const p = await keysetPage<PlatformRow>(page, { column: 'id', type: 'uuid', isId: isUuid, idOf: (r) => r.id }, ({ after, orderBy, limit }) => {
    let q = db.selectFrom('lti_platforms').selectAll();
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    if (after) q = q.where(after);
    return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
  });
  const counts = await deploymentCounts(
    db,
    p.rows.map((r) => r.id),
  );
  return { items: p.rows.map((r) => toApiPlatform(r, counts.get(r.id) ?? 0)), nextCursor: p.nextCursor };
}

export async function updatePlatform(db: Kysely<Database>, ctx: ActorContext, tenantId: TenantId, id: string, patch: LtiPlatformUpdate): Promise<LtiPlatform> {
  return db.transaction().execute(async (trx) => {
    const before = await platformRow(trx, tenantId, id, true);
    const set: Record<string, unknown> = {};
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.authUrl !== undefined) set.auth_url = patch.authUrl;
    if (patch.tokenUrl !== undefined) set.token_url = patch.tokenUrl;
    if (patch.tokenAudience !== undefined) set.token_audience = patch.tokenAudience;
    if (patch.jwksUrl !== undefined) set.jwks_url = patch.jwksUrl;
    if (patch.autoRegisterDeployments !== undefined) set.auto_register_deployments = patch.autoRegisterDeployments;
    const row = await trx
      .updateTable('lti_platforms')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changes = Object.fromEntries(Object.keys(patch).map((k) => [k, { from: apiValue(before, k), to: apiValue(row, k) }]));
    await recordAudit(trx, ctx, { tenantId, action: 'lti.platform.update', target: { type: 'lti_platform', id }, details: changes });
    return toApiPlatform(row, await deploymentCount(trx, id));
  });
}

/** Removes a registration with its deployments, login states and sessions (they cascade). */
export async function removePlatform(db: Kysely<Database>, ctx: ActorContext, tenantId: TenantId, id: string): Promise<LtiPlatform> {
  return db.transaction().execute(async (trx) => {
    const row = await platformRow(trx, tenantId, id, true);
    const count = await deploymentCount(trx, id);
    await trx.deleteFrom('lti_platforms').where('id', '=', id).where('tenant_id', '=', tenantId).execute();
    await recordAudit(trx, ctx, {
      tenantId,
      action: 'lti.platform.delete',
      target: { type: 'lti_platform', id },
      details: { issuer: row.issuer, clientId: row.client_id },
    });
    return toApiPlatform(row, count);
  });
}

/** The tenant of a registration id (for a platform administrator or the CLI, which name no tenant). */
export async function platformOwner(db: Executor, id: string): Promise<TenantId | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('lti_platforms').select('tenant_id').where('id', '=', id).executeTakeFirst();
  return row?.tenant_id as TenantId | undefined;
}

/** A registration of this tenant; another tenant's, a missing one and a malformed id are all the same 404. */
export async function platformRow(db: Executor, tenantId: TenantId, id: string, forUpdate = false): Promise<PlatformRow> {
  if (!isUuid(id)) throw notFound(`LTI platform ${id}`);
  let q = db.selectFrom('lti_platforms').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`LTI platform ${id}`);
  return row;
}

async function deploymentCount(db: Executor, platformId: string): Promise<number> {
  return (await deploymentCounts(db, [platformId])).get(platformId) ?? 0;
}

async function deploymentCounts(db: Executor, platformIds: string[]): Promise<Map<string, number>> {
  if (platformIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('lti_deployments')
    .select(['platform_id', sql<string>`count(*)`.as('n')])
    .where('platform_id', 'in', platformIds)
    .groupBy('platform_id')
    .execute();
  return new Map(rows.map((r) => [r.platform_id, Number(r.n)]));
}

function apiValue(row: PlatformRow, key: string): unknown {
  return (toApiPlatform(row, 0) as unknown as Record<string, unknown>)[key];
}
