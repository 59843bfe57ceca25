import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { field, fileLiteral } from './constraints.js';

/** A roster_records row as the REST layer reads it. */
export interface StoredRecord {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: Date;
  fields: Record<string, string>;
  metadata: Record<string, unknown> | null;
}

export interface ListSpec {
  tenantId: string;
  file: string;
  /** Endpoint constraints and the client's filter, all ANDed. */
  where: RawBuilder<boolean>[];
  /** Collections show active records only, unless the client asks about changes (see visibility). */
  includeDeleted: boolean;
  sort: RawBuilder<unknown> | undefined;
  orderBy: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * One page of a collection and the total it is part of (X-Total-Count). Ordered by the requested
 * sort and then by sourcedId, so pages neither skip nor repeat rows (DESIGN §5 "stable paging").
 */
export async function listRecords(db: Kysely<Database>, s: ListSpec): Promise<{ records: StoredRecord[]; total: number }> {
  const where = whereOf(s);
  const dir = sql.raw(s.orderBy === 'desc' ? 'DESC' : 'ASC');
  const order = s.sort ? sql`${s.sort} ${dir} NULLS LAST, r.sourced_id ${dir}` : sql`r.sourced_id ${dir}`;
  const page = await sql<Row>`
    SELECT r.sourced_id, r.status, r.date_last_modified, r.fields, r.metadata FROM roster_records r
    WHERE ${where} ORDER BY ${order} LIMIT ${s.limit} OFFSET ${s.offset}`.execute(db);
  // The count is only needed when the page does not already tell it (a short first page does).
  const total =
    s.offset === 0 && page.rows.length < s.limit
      ? page.rows.length
      : Number((await sql<{ n: string }>`SELECT count(*) AS n FROM roster_records r WHERE ${where}`.execute(db)).rows[0]?.n ?? 0);
  return { records: page.rows.map(toRecord), total };
}

/** One active record by sourcedId under the endpoint's constraints. */
export async function findRecord(
  db: Kysely<Database>,
  s: { tenantId: string; file: string; sourcedId: string; where: RawBuilder<boolean>[] },
): Promise<StoredRecord | undefined> {
  const where = whereOf({ ...s, includeDeleted: false, where: [...s.where, sql<boolean>`r.sourced_id = ${s.sourcedId}`] });
  const r = await sql<Row>`SELECT r.sourced_id, r.status, r.date_last_modified, r.fields, r.metadata FROM roster_records r WHERE ${where}`.execute(db);
  return r.rows[0] ? toRecord(r.rows[0]) : undefined;
}

/** Active records of a file whose `column` is one of `values` (related data for a page, in one query). */
export async function recordsWhereIn(db: Kysely<Database>, tenantId: string, file: string, column: string, values: string[]): Promise<StoredRecord[]> {
  if (values.length === 0) return [];
  const r = await sql<Row>`
    SELECT r.sourced_id, r.status, r.date_last_modified, r.fields, r.metadata FROM roster_records r
    WHERE r.tenant_id = ${tenantId}::uuid AND r.file = ${fileLiteral(file)} AND r.status = 'active'
      AND ${field('r', column)} = ANY(${values}::text[])
    ORDER BY r.sourced_id`.execute(db);
  return r.rows.map(toRecord);
}

interface Row {
  sourced_id: string;
  status: 'active' | 'tobedeleted';
  date_last_modified: Date;
  fields: Record<string, string>;
  metadata: Record<string, unknown> | null;
}

function whereOf(s: { tenantId: string; file: string; where: RawBuilder<boolean>[]; includeDeleted: boolean }): RawBuilder<boolean> {
  const parts = [sql<boolean>`r.tenant_id = ${s.tenantId}::uuid`, sql<boolean>`r.file = ${fileLiteral(s.file)}`, ...s.where];
  if (!s.includeDeleted) parts.push(sql<boolean>`r.status = 'active'`);
  return sql.join(parts, sql` AND `) as RawBuilder<boolean>;
}

function toRecord(r: Row): StoredRecord {
  return { sourcedId: r.sourced_id, status: r.status, dateLastModified: r.date_last_modified, fields: r.fields, metadata: r.metadata };
}
