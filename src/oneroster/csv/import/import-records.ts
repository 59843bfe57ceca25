import type { Kysely, Selectable } from 'kysely';
import { keysetPage, type Page } from '../../../db/keyset.js';
import type { Database, RosterImportsTable } from '../../../db/schema.js';
import type { RosterImport } from '../../../generated/api-types.js';
import { isUuid, type TenantId } from '../../../tenancy/ids.js';

/** One import of this tenant (undefined for another tenant's id), with a page of its diagnostics. */
export async function getImport(
  db: Kysely<Database>,
  tenantId: TenantId,
  id: string,
  diagnostics: { offset: number; limit: number },
): Promise<RosterImport | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('roster_imports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && toRosterImport(row, diagnostics);
}

/** The tenant's imports in the order they started (keyset paging: pages never skip or repeat). */
export async function listImports(db: Kysely<Database>, tenantId: TenantId, page: Page): Promise<{ items: RosterImport[]; nextCursor: string | null }> {
  const key = {
    time: { column: 'started_at', of: (r: Selectable<RosterImportsTable>) => r.started_at },
    column: 'id',
    type: 'uuid' as const,
    isId: isUuid,
    idOf: (r: Selectable<RosterImportsTable>) => r.id,
  };
  const p = await keysetPage<Selectable<RosterImportsTable>>(page, key, async ({ after, limit }) => {
    let q = db.selectFrom('roster_imports').selectAll().where('tenant_id', '=', tenantId);
    if (after) q = q.where(after);
    return q.orderBy('started_at').orderBy('id').limit(limit).execute();
  });
  return { items: p.rows.map((r) => toRosterImport(r, { offset: 0, limit: 0 })), nextCursor: p.nextCursor };
}

function toRosterImport(r: Selectable<RosterImportsTable>, page: { offset: number; limit: number }): RosterImport {
  const all = r.diagnostics as RosterImport['diagnostics']['items'];
  return {
    id: r.id,
    tenantId: r.tenant_id,
    status: r.status,
    version: (r.oneroster_version as RosterImport['version']) ?? null,
    sourceName: r.source_name,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    durationMs: r.duration_ms,
    counts: r.counts,
    errorCount: r.error_count,
    warningCount: r.warning_count,
    failure: r.failure,
    diagnostics: { total: all.length, offset: page.offset, items: all.slice(page.offset, page.offset + page.limit) },
  };
}
