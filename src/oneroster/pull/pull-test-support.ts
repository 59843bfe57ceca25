import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';

/** Test support for the pull's tests (not a test file itself). */

export interface StoredRow {
  file: string;
  sourcedId: string;
  status: string;
  fields: Record<string, string>;
  metadata: Record<string, string> | null;
  dateLastModified: string;
}

/** Every stored record of a tenant, in (file, sourcedId) order. */
export async function storedRows(db: Kysely<Database>, tenantId: TenantId, file?: string): Promise<StoredRow[]> {
  const r = await sql<{ file: string; sourced_id: string; status: string; fields: Record<string, string>; metadata: Record<string, string> | null; dlm: Date }>`
    SELECT file, sourced_id, status, fields, metadata, date_last_modified AS dlm FROM roster_records
    WHERE tenant_id = ${tenantId}::uuid ${file ? sql`AND file = ${file}` : sql``} ORDER BY file, sourced_id`.execute(db);
  return r.rows.map((x) => ({
    file: x.file,
    sourcedId: x.sourced_id,
    status: x.status,
    fields: x.fields,
    metadata: x.metadata,
    dateLastModified: x.dlm.toISOString(),
  }));
}

/** What two tenants holding "the same data" must agree on: everything but the stamps. */
export function content(rows: StoredRow[]): Array<Omit<StoredRow, 'dateLastModified'>> {
  return rows.map(({ dateLastModified: _d, ...rest }) => rest);
}

/** The rows of a pull's oneroster_pulls record that tests check. */
export async function pullRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('oneroster_pulls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
