import { type Kysely, sql, type Transaction } from 'kysely';
import { keysetPage } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { LtiDeployment } from '../../generated/api-types.js';
import { notFound, Problem } from '../../problems.js';
import { type ActorContext, recordAudit } from '../../security/audit-log.js';
import type { TenantId } from '../../tenancy/ids.js';
import { platformRow } from './platforms.js';

type Executor = Kysely<Database> | Transaction<Database>;
type Source = LtiDeployment['source'];

function toApi(r: { platform_id: string; deployment_id: string; source: Source; created_at: Date }): LtiDeployment {
  return { platformId: r.platform_id, deploymentId: r.deployment_id, source: r.source, createdAt: r.created_at.toISOString() };
}

export async function addDeployment(
  db: Kysely<Database>,
  ctx: ActorContext,
  tenantId: TenantId,
  platformId: string,
  deploymentId: string,
): Promise<LtiDeployment> {
  return db.transaction().execute(async (trx) => {
    await platformRow(trx, tenantId, platformId, true);
    const row = await trx
      .insertInto('lti_deployments')
      .values({ platform_id: platformId, tenant_id: tenantId, deployment_id: deploymentId, source: 'manual' })
      .onConflict((oc) => oc.columns(['platform_id', 'deployment_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new Problem('conflict', `deployment ${deploymentId} is already registered for this platform`);
    await recordAudit(trx, ctx, { tenantId, action: 'lti.deployment.create', target: { type: 'lti_deployment', id: `${platformId}/${deploymentId}` } });
    return toApi(row);
  });
}

export async function listDeployments(
  db: Executor,
  tenantId: TenantId,
  platformId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: LtiDeployment[]; nextCursor: string | null }> {
  await platformRow(db, tenantId, platformId);
  const p = await keysetPage(
    page,
    { column: 'deployment_id', type: 'text', isId: (id) => id.length > 0 && id.length <= 255, idOf: (r: { deployment_id: string }) => r.deployment_id },
    ({ after, orderBy, limit }) => {
      let q = db.selectFrom('lti_deployments').selectAll().where('platform_id', '=', platformId).where('tenant_id', '=', tenantId);
      if (after) q = q.where(after);
      return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
    },
  );
  return { items: p.rows.map(toApi), nextCursor: p.nextCursor };
}

export async function removeDeployment(
  db: Kysely<Database>,
  ctx: ActorContext,
  tenantId: TenantId,
  platformId: string,
  deploymentId: string,
): Promise<LtiDeployment> {
  return db.transaction().execute(async (trx) => {
    await platformRow(trx, tenantId, platformId, true);
    const row = await trx
      .deleteFrom('lti_deployments')
      .where('platform_id', '=', platformId)
      .where('tenant_id', '=', tenantId)
      .where('deployment_id', '=', deploymentId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`deployment ${deploymentId}`);
    await recordAudit(trx, ctx, { tenantId, action: 'lti.deployment.delete', target: { type: 'lti_deployment', id: `${platformId}/${deploymentId}` } });
    return toApi(row);
  });
}

export async function isDeploymentKnown(db: Executor, platformId: string, deploymentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('lti_deployments')
    .select('deployment_id')
    .where('platform_id', '=', platformId)
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Registers a deployment id met at a launch under a registration whose auto-register policy allows
 * it (fact sheet §13, Canvas course-level installs), audited as a system action.
 */
export async function autoRegisterDeployment(db: Executor, ctx: ActorContext, tenantId: TenantId, platformId: string, deploymentId: string): Promise<void> {
  const inserted = await db
    .insertInto('lti_deployments')
    .values({ platform_id: platformId, tenant_id: tenantId, deployment_id: deploymentId, source: 'auto' })
    .onConflict((oc) => oc.columns(['platform_id', 'deployment_id']).doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return;
  await recordAudit(db, ctx, {
    tenantId,
    action: 'lti.deployment.auto_register',
    target: { type: 'lti_deployment', id: `${platformId}/${deploymentId}` },
  });
}
