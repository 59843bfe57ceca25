import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { keysetPage } from '../db/keyset.js';
import type { Database, TenantsTable } from '../db/schema.js';
import type { Tenant } from '../generated/api-types.js';
import { notFound } from '../problems.js';
import { type ActorContext, recordAudit } from '../security/audit-log.js';
import { isUuid, type TenantId } from './ids.js';

export async function createTenant(db: Kysely<Database>, ctx: ActorContext, name: string): Promise<Tenant> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('tenants').values({ id: randomUUID(), name: name.trim() }).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { tenantId: row.id as TenantId, action: 'tenant.create', target: { type: 'tenant', id: row.id }, details: { name: row.name } });
    return toTenant(row);
  });
}

export async function renameTenant(db: Kysely<Database>, ctx: ActorContext, id: TenantId, name: string): Promise<Tenant> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('tenants').select('name').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`tenant ${id}`);
    const row = await trx
      .updateTable('tenants')
      .set({ name: name.trim(), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      tenantId: id,
      action: 'tenant.update',
      target: { type: 'tenant', id },
      details: { name: { from: before.name, to: row.name } },
    });
    return toTenant(row);
  });
}

export async function getTenant(db: Kysely<Database>, id: TenantId): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toTenant(row);
}

/** Oldest first. `only` restricts the list to one tenant (what a tenant credential may see). */
export async function listTenants(
  db: Kysely<Database>,
  page: { limit: number; cursor?: string; only?: TenantId },
): Promise<{ items: Tenant[]; nextCursor: string | null }> {
  const p = await keysetPage<Selectable<TenantsTable>>(page, { column: 'id', type: 'uuid', isId: isUuid, idOf: (r) => r.id }, ({ after, orderBy, limit }) => {
    let q = db.selectFrom('tenants').selectAll();
    if (page.only) q = q.where('id', '=', page.only);
    if (after) q = q.where(after);
    return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
  });
  return { items: p.rows.map(toTenant), nextCursor: p.nextCursor };
}

function toTenant(row: Selectable<TenantsTable>): Tenant {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}
