import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { TenantId } from '../../../tenancy/ids.js';

/** Records read per query while exporting: memory is bounded by a page, not by the tenant. */
export const EXPORT_PAGE = 5000;

export interface ExportRecord {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: Date;
  fields: Record<string, string>;
  metadata: Record<string, string> | null;
}

/** What an export contains: a bulk snapshot (active records) or the changes since a moment (both statuses). */
export type ExportScope = { kind: 'bulk' } | { kind: 'delta'; since: Date };

function scopeFilter(scope: ExportScope) {
  return scope.kind === 'bulk' ? sql`status = 'active'` : sql`date_last_modified > ${scope.since}::timestamptz`;
}

/** Pages of one file's records, in sourcedId order (keyset paging on the primary key). */
export async function* exportRecords(db: Kysely<Database>, tenantId: TenantId, file: string, scope: ExportScope): AsyncGenerator<ExportRecord[]> {
  let after: string | null = null;
  for (;;) {
    const rows: {
      sourced_id: string;
      status: 'active' | 'tobedeleted';
      date_last_modified: Date;
      fields: Record<string, string>;
      metadata: Record<string, string> | null;
    }[] = (
      await sql<{
        sourced_id: string;
        status: 'active' | 'tobedeleted';
        date_last_modified: Date;
        fields: Record<string, string>;
        metadata: Record<string, string> | null;
      }>`
        SELECT sourced_id, status, date_last_modified, fields, metadata FROM roster_records
        WHERE tenant_id = ${tenantId}::uuid AND file = ${file} AND ${scopeFilter(scope)}
          ${after === null ? sql`` : sql`AND sourced_id > ${after}`}
        ORDER BY sourced_id LIMIT ${EXPORT_PAGE}`.execute(db)
    ).rows;
    if (rows.length === 0) return;
    yield rows.map((r) => ({ sourcedId: r.sourced_id, status: r.status, dateLastModified: r.date_last_modified, fields: r.fields, metadata: r.metadata }));
    if (rows.length < EXPORT_PAGE) return;
    after = (rows[rows.length - 1] as { sourced_id: string }).sourced_id;
  }
}

/** How many records each file would export, and the metadata.* keys each carries (for the header). */
export async function exportInventory(
  db: Kysely<Database>,
  tenantId: TenantId,
  scope: ExportScope,
): Promise<Map<string, { count: number; metadataKeys: string[] }>> {
  const counts = await sql<{ file: string; n: string }>`
    SELECT file, count(*) AS n FROM roster_records WHERE tenant_id = ${tenantId}::uuid AND ${scopeFilter(scope)} GROUP BY file`.execute(db);
  const keys = await sql<{ file: string; k: string }>`
    SELECT DISTINCT file, jsonb_object_keys(metadata) AS k FROM roster_records
    WHERE tenant_id = ${tenantId}::uuid AND metadata IS NOT NULL AND ${scopeFilter(scope)} ORDER BY 1, 2`.execute(db);
  const out = new Map<string, { count: number; metadataKeys: string[] }>();
  for (const c of counts.rows) out.set(c.file, { count: Number(c.n), metadataKeys: [] });
  for (const k of keys.rows) out.get(k.file)?.metadataKeys.push(k.k);
  return out;
}

/** The roles of a page of users (1.1 export folds them into users.role and users.orgSourcedIds), primary first. */
export async function rolesOfUsers(
  db: Kysely<Database>,
  tenantId: TenantId,
  userIds: string[],
): Promise<Map<string, { role: string; org: string; primary: boolean }[]>> {
  const rows = await sql<{ user_id: string; role: string; org: string; primary: boolean }>`
    SELECT fields->>'userSourcedId' AS user_id, fields->>'role' AS role, fields->>'orgSourcedId' AS org, fields->>'roleType' = 'primary' AS primary
    FROM roster_records
    WHERE tenant_id = ${tenantId}::uuid AND file = 'roles' AND status = 'active' AND fields->>'userSourcedId' = ANY(${userIds}::text[])
    ORDER BY fields->>'userSourcedId', (fields->>'roleType' = 'primary') DESC, sourced_id`.execute(db);
  const out = new Map<string, { role: string; org: string; primary: boolean }[]>();
  for (const r of rows.rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ role: r.role, org: r.org, primary: r.primary });
    out.set(r.user_id, list);
  }
  return out;
}
