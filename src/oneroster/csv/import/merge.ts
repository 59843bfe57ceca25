import { sql, type Transaction } from 'kysely';
import type { Database, ImportCounts } from '../../../db/schema.js';

/**
 * Merges the staged rows of one file into roster_records (inside the import's transaction):
 *  - rows to keep (bulk rows; delta rows with status active) are inserted, or updated where their
 *    values or status changed — an identical row is not touched, so its dateLastModified stays;
 *  - delta rows with status tobedeleted mark the stored record tobedeleted (unknown ids are ignored);
 *  - in bulk mode, stored active records missing from the file are marked tobedeleted — never
 *    hard-deleted, so REST delta consumers see the deletion.
 */
export async function mergeFile(
  trx: Transaction<Database>,
  m: { importId: string; tenantId: string; file: string; mode: 'bulk' | 'delta'; now: Date },
): Promise<ImportCounts> {
  const upserted = await sql<{ inserted: string; updated: string; staged: string; deletes: string }>`
    WITH src AS (
      SELECT sourced_id, status, date_last_modified, content_hash, fields, metadata
      FROM roster_import_rows WHERE import_id = ${m.importId}::uuid AND file = ${m.file} AND status = 'active'
    ), written AS (
      INSERT INTO roster_records AS r (tenant_id, file, sourced_id, status, date_last_modified, content_hash, fields, metadata)
      SELECT ${m.tenantId}::uuid, ${m.file}, s.sourced_id, 'active', coalesce(s.date_last_modified, ${m.now}::timestamptz), s.content_hash, s.fields, s.metadata
      FROM src s
      ON CONFLICT (tenant_id, file, sourced_id) DO UPDATE
        SET status = 'active', date_last_modified = excluded.date_last_modified, content_hash = excluded.content_hash,
            fields = excluded.fields, metadata = excluded.metadata
        WHERE r.content_hash <> excluded.content_hash OR r.status <> 'active'
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
           (SELECT count(*) FROM src) AS staged,
           (SELECT count(*) FROM roster_import_rows
             WHERE import_id = ${m.importId}::uuid AND file = ${m.file} AND status = 'tobedeleted') AS deletes
    FROM written`.execute(trx);

  const deletedByRow = await sql<{ n: string }>`
    WITH gone AS (
      UPDATE roster_records r SET status = 'tobedeleted', date_last_modified = coalesce(s.date_last_modified, ${m.now}::timestamptz)
      FROM roster_import_rows s
      WHERE s.import_id = ${m.importId}::uuid AND s.file = ${m.file} AND s.status = 'tobedeleted'
        AND r.tenant_id = ${m.tenantId}::uuid AND r.file = ${m.file} AND r.sourced_id = s.sourced_id AND r.status = 'active'
      RETURNING 1
    ) SELECT count(*) AS n FROM gone`.execute(trx);

  let deletedByAbsence = 0;
  if (m.mode === 'bulk') {
    const r = await sql<{ n: string }>`
      WITH gone AS (
        UPDATE roster_records r SET status = 'tobedeleted', date_last_modified = ${m.now}::timestamptz
        WHERE r.tenant_id = ${m.tenantId}::uuid AND r.file = ${m.file} AND r.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM roster_import_rows s WHERE s.import_id = ${m.importId}::uuid AND s.file = ${m.file} AND s.sourced_id = r.sourced_id)
        RETURNING 1
      ) SELECT count(*) AS n FROM gone`.execute(trx);
    deletedByAbsence = Number(r.rows[0]?.n ?? 0);
  }

  const u = upserted.rows[0] ?? { inserted: '0', updated: '0', staged: '0', deletes: '0' };
  const staged = Number(u.staged);
  const inserted = Number(u.inserted);
  const updated = Number(u.updated);
  const deleted = Number(deletedByRow.rows[0]?.n ?? 0) + deletedByAbsence;
  return { rows: staged + Number(u.deletes), inserted, updated, unchanged: staged - inserted - updated, deleted };
}

/**
 * OneRoster 1.1 delta: a user row carries that user's single role and all of its orgs, so the roles
 * derived from an earlier row of the same user that this row no longer yields (an org dropped, or
 * the user deleted with its orgs left blank) are marked tobedeleted.
 */
export async function retireReplacedRoles(trx: Transaction<Database>, m: { importId: string; tenantId: string; now: Date }): Promise<number> {
  const r = await sql<{ n: string }>`
    WITH gone AS (
      UPDATE roster_records r SET status = 'tobedeleted', date_last_modified = coalesce(u.date_last_modified, ${m.now}::timestamptz)
      FROM roster_import_rows u
      WHERE u.import_id = ${m.importId}::uuid AND u.file = 'users'
        AND r.tenant_id = ${m.tenantId}::uuid AND r.file = 'roles' AND r.status = 'active' AND r.fields->>'userSourcedId' = u.sourced_id
        AND NOT EXISTS (SELECT 1 FROM roster_import_rows s
                        WHERE s.import_id = ${m.importId}::uuid AND s.file = 'roles' AND s.sourced_id = r.sourced_id AND s.status = 'active')
      RETURNING 1
    ) SELECT count(*) AS n FROM gone`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}
