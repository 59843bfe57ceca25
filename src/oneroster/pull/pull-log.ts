import type { Kysely } from 'kysely';
import type { Database, ImportCounts } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';
import type { PullDiagnostic } from './pull-result.js';

/** The oneroster_pulls table (migration 0008): one row per pull attempt, one query per function. */

/** Diagnostics kept on the pull's row (the result carries them all). */
const STORED_DIAGNOSTICS = 1000;

export async function beginPull(
  db: Kysely<Database>,
  p: { id: string; tenantId: TenantId; baseUrl: string; version: '1.1' | '1.2' | undefined; mode: 'full' | 'delta'; since: Date | undefined; startedAt: Date },
): Promise<void> {
  await db
    .insertInto('oneroster_pulls')
    .values({
      id: p.id,
      tenant_id: p.tenantId,
      base_url: p.baseUrl,
      version: p.version ?? null,
      mode: p.mode,
      since: p.since ?? null,
      status: 'running',
      started_at: p.startedAt,
    })
    .execute();
}

export async function finishPull(
  db: Kysely<Database>,
  id: string,
  f: {
    status: 'succeeded' | 'failed';
    version: '1.1' | '1.2' | null;
    importId: string | null;
    finishedAt: Date;
    cursor: Date | null;
    error: string | null;
    counts: Record<string, ImportCounts>;
    stats: Record<string, unknown>;
    diagnostics: PullDiagnostic[];
  },
): Promise<void> {
  await db
    .updateTable('oneroster_pulls')
    .set({
      status: f.status,
      version: f.version,
      import_id: f.importId,
      finished_at: f.finishedAt,
      cursor: f.cursor,
      error: f.error,
      counts: JSON.stringify(f.counts),
      stats: JSON.stringify(f.stats),
      diagnostics: JSON.stringify(f.diagnostics.slice(0, STORED_DIAGNOSTICS)),
    })
    .where('id', '=', id)
    .execute();
}

/** The newest successful pull of this tenant from this provider (base URL without trailing slashes). */
export async function lastSuccessfulPull(
  db: Kysely<Database>,
  tenantId: TenantId,
  baseUrl: string,
): Promise<{ id: string; startedAt: Date; cursor: Date; version: '1.1' | '1.2' | null } | undefined> {
  const row = await db
    .selectFrom('oneroster_pulls')
    .select(['id', 'started_at', 'cursor', 'version'])
    .where('tenant_id', '=', tenantId)
    .where('base_url', '=', baseUrl.replace(/\/+$/, ''))
    .where('status', '=', 'succeeded')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, startedAt: row.started_at, cursor: row.cursor ?? row.started_at, version: row.version } : undefined;
}
