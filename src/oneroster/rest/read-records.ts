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
 *
 * The page is chosen first by sourcedId alone and its rows fetched afterwards (a "deferred join"), so
 * an unfiltered walk to a deep offset is an index-only scan of roster_records_active_idx rather than
 * a visit to every row it skips. The total comes from `counts` when the tenant's roster has not
 * changed since it was counted (see CountCache).
 */
export async function listRecords(db: Kysely<Database>, s: ListSpec, counts?: CountCache): Promise<{ records: StoredRecord[]; total: number }> {
  const where = whereOf(s);
  const dir = sql.raw(s.orderBy === 'desc' ? 'DESC' : 'ASC');
  const order = s.sort ? sql`${s.sort} ${dir} NULLS LAST, r.sourced_id ${dir}` : sql`r.sourced_id ${dir}`;
  // MATERIALIZED: the page is chosen once. As a plain IN subquery, a planner without statistics (a
  // table not yet analysed after an import) ran it again for every row of the file: a nested route
  // took seconds per request on 150 users (found by conformance/oneroster-rest).
  const pageQuery = sql<Row>`
    WITH page AS MATERIALIZED (SELECT r.sourced_id FROM roster_records r WHERE ${where} ORDER BY ${order} LIMIT ${s.limit} OFFSET ${s.offset})
    SELECT r.sourced_id, r.status, r.date_last_modified, r.fields, r.metadata FROM roster_records r
    WHERE r.tenant_id = ${s.tenantId}::uuid AND r.file = ${fileLiteral(s.file)} AND r.sourced_id IN (SELECT sourced_id FROM page)
    ORDER BY ${order}`;
  // The count is only needed when the page does not already tell it (a short first page does).
  const [page, cached] = await Promise.all([pageQuery.execute(db), counts?.lookup(db, s.tenantId, where)]);
  if (s.offset === 0 && page.rows.length < s.limit) return { records: page.rows.map(toRecord), total: page.rows.length };
  if (cached?.total !== undefined) return { records: page.rows.map(toRecord), total: cached.total };
  // Version and count in one statement (one snapshot), so the cached count always matches its version.
  const counted = (
    await sql<{ n: string; version: string | null }>`
      SELECT count(*) AS n, (SELECT version FROM roster_versions WHERE tenant_id = ${s.tenantId}::uuid) AS version
      FROM roster_records r WHERE ${where}`.execute(db)
  ).rows[0];
  const total = Number(counted?.n ?? 0);
  if (cached) counts?.store(cached.key, counted?.version ?? '0', total);
  return { records: page.rows.map(toRecord), total };
}

/**
 * X-Total-Count of recent (tenant, filter) pairs, valid while the tenant's roster version (a counter
 * a trigger bumps on every change, migration 0006) stays the same — so a count is never served after
 * a write, by any process, has changed what it counted. One cheap primary-key read per request
 * replaces a count over every matching row. Least recently used entries go beyond `maxEntries`.
 */
export class CountCache {
  private readonly entries = new Map<string, { version: string; total: number }>();

  constructor(private readonly maxEntries = 5000) {}

  /** The cached total when still current, and the key to store a fresh one under. */
  async lookup(db: Kysely<Database>, tenantId: string, where: RawBuilder<boolean>): Promise<{ key: string; total?: number }> {
    const compiled = where.compile(db);
    const key = `${tenantId}\u0000${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`;
    const hit = this.entries.get(key);
    if (!hit) return { key };
    const row = await db.selectFrom('roster_versions').select('version').where('tenant_id', '=', tenantId).executeTakeFirst();
    if ((row?.version ?? '0') !== hit.version) return { key };
    this.entries.delete(key); // re-inserted: Map order is the LRU order
    this.entries.set(key, hit);
    return { key, total: hit.total };
  }

  store(key: string, version: string, total: number): void {
    this.entries.set(key, { version, total });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
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
