import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { contentHash } from '../csv/import/canonical-row.js';
import { fileLiteral } from './constraints.js';
import type { WritableRecord } from './rest-body.js';
import { OneRosterError } from './status-info.js';

/**
 * Gradebook writes (fact sheet §2.2): PUT creates or replaces a record under the client's sourcedId,
 * DELETE marks it tobedeleted (kept for `dateLastModified>` delta readers, gone from every other read
 * at once), POST stores several records under sourcedIds the server allocates. A write that changes
 * nothing leaves dateLastModified alone, like a CSV re-import. References must name active records.
 */
export async function putRecord(
  db: Kysely<Database>,
  w: { tenantId: string; file: string; sourcedId: string; record: WritableRecord; now: Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await checkRefs(trx, w.tenantId, [w.record]);
    await upsert(trx, w.tenantId, w.file, w.sourcedId, w.record, w.now);
  });
}

export async function deleteRecord(db: Kysely<Database>, w: { tenantId: string; file: string; sourcedId: string; now: Date }): Promise<boolean> {
  const r = await sql`
    UPDATE roster_records SET status = 'tobedeleted', date_last_modified = ${w.now}
    WHERE tenant_id = ${w.tenantId}::uuid AND file = ${fileLiteral(w.file)} AND sourced_id = ${w.sourcedId} AND status = 'active'`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Stores each record under a new sourcedId; returns the GUIDPairs (supplied → allocated). */
export async function postRecords(
  db: Kysely<Database>,
  w: { tenantId: string; file: string; records: Array<{ supplied: string; record: WritableRecord }>; now: Date },
): Promise<Array<{ suppliedSourcedId: string; allocatedSourcedId: string }>> {
  return db.transaction().execute(async (trx) => {
    await checkRefs(
      trx,
      w.tenantId,
      w.records.map((r) => r.record),
    );
    const pairs = [];
    for (const { supplied, record } of w.records) {
      const allocated = randomUUID();
      await upsert(trx, w.tenantId, w.file, allocated, record, w.now);
      pairs.push({ suppliedSourcedId: supplied, allocatedSourcedId: allocated });
    }
    return pairs;
  });
}

async function upsert(trx: Transaction<Database>, tenantId: string, file: string, sourcedId: string, record: WritableRecord, now: Date): Promise<void> {
  const fieldsJson = JSON.stringify(record.fields);
  const metadataJson = record.metadata === undefined ? undefined : JSON.stringify(record.metadata);
  const hash = contentHash(fieldsJson, metadataJson);
  await sql`
    INSERT INTO roster_records AS r (tenant_id, file, sourced_id, status, date_last_modified, content_hash, fields, metadata)
    VALUES (${tenantId}::uuid, ${file}, ${sourcedId}, 'active', ${now}, ${hash}, ${fieldsJson}::jsonb, ${metadataJson ?? null}::jsonb)
    ON CONFLICT (tenant_id, file, sourced_id) DO UPDATE
      SET status = 'active', date_last_modified = excluded.date_last_modified, content_hash = excluded.content_hash,
          fields = excluded.fields, metadata = excluded.metadata
      WHERE r.content_hash <> excluded.content_hash OR r.status <> 'active'`.execute(trx);
}

async function checkRefs(trx: Transaction<Database>, tenantId: string, records: WritableRecord[]): Promise<void> {
  const refs = records.flatMap((r) => r.refs);
  if (refs.length === 0) return;
  const found = await sql<{ file: string; sourced_id: string }>`
    SELECT file, sourced_id FROM roster_records
    WHERE tenant_id = ${tenantId}::uuid AND status = 'active'
      AND (file, sourced_id) IN (SELECT * FROM unnest(${refs.map((r) => r.file)}::text[], ${refs.map((r) => r.sourcedId)}::text[]))`.execute(trx);
  const have = new Set(found.rows.map((r) => `${r.file}\u0000${r.sourced_id}`));
  const missing = refs.find((r) => !have.has(`${r.file}\u0000${r.sourcedId}`));
  if (missing) throw new OneRosterError('invaliddata', `${missing.pointer} ${JSON.stringify(missing.sourcedId)} names no ${missing.file} record`);
}
