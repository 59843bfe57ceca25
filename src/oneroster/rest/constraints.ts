import { type RawBuilder, sql } from 'kysely';
import type { Constraint } from './rest-tables.js';
import { OneRosterError } from './status-info.js';

/**
 * The row constraints of rest-endpoints.json as SQL over `roster_records r`. Column names come from
 * the standards tables (never from clients) and are spliced as literals so that PostgreSQL can use
 * the expression indexes of migration 0004 (`fields->>'classSourcedId'` …); values are parameters.
 * Records of related files count only while active: a deleted enrollment no longer puts a student
 * in a class.
 */
export function constraintSql(c: Constraint, params: Readonly<Record<string, string>>, tenantId: string): RawBuilder<boolean> {
  const p = (name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`endpoint constraint names the missing path parameter ${name}`);
    return v;
  };
  switch (c.kind) {
    case 'columnEquals':
      return sql<boolean>`${field('r', c.column)} = ${c.param ? p(c.param) : (c.value ?? '')}`;
    case 'listContains':
      return sql<boolean>`string_to_array(${field('r', c.column)}, ',') @> ARRAY[${p(c.param)}]::text[]`;
    case 'enrolledIn':
      return sql<boolean>`r.sourced_id IN (
        SELECT e.fields->>'userSourcedId' FROM roster_records e
        WHERE ${live('e', 'enrollments', tenantId)} AND e.fields->>'classSourcedId' = ${p(c.param)} AND e.fields->>'role' = ${c.role}
          ${c.schoolParam ? sql`AND e.fields->>'schoolSourcedId' = ${p(c.schoolParam)}` : sql``})`;
    case 'classOfUser':
      return sql<boolean>`r.sourced_id IN (
        SELECT e.fields->>'classSourcedId' FROM roster_records e
        WHERE ${live('e', 'enrollments', tenantId)} AND e.fields->>'userSourcedId' = ${p(c.param)}
          ${c.role ? sql`AND e.fields->>'role' = ${c.role}` : sql``})`;
    case 'hasRole':
      return sql<boolean>`r.sourced_id IN (
        SELECT x.fields->>'userSourcedId' FROM roster_records x
        WHERE ${live('x', 'roles', tenantId)} AND x.fields->>'role' = ${c.role}
          ${c.orgParam ? sql`AND x.fields->>'orgSourcedId' = ${p(c.orgParam)}` : sql``})`;
    case 'termOfSchool':
      return sql<boolean>`r.sourced_id IN (
        SELECT unnest(string_to_array(k.fields->>'termSourcedIds', ',')) FROM roster_records k
        WHERE ${live('k', 'classes', tenantId)} AND k.fields->>'schoolSourcedId' = ${p(c.param)})`;
    case 'categoryOfClass':
      return sql<boolean>`r.sourced_id IN (
        SELECT l.fields->>'categorySourcedId' FROM roster_records l
        WHERE ${live('l', 'lineItems', tenantId)} AND l.fields->>'classSourcedId' = ${p(c.param)})`;
    case 'resultOfClass':
      // A result names its class directly (1.2, optional) or through its line item.
      return sql<boolean>`(r.fields->>'classSourcedId' = ${p(c.param)} OR r.fields->>'lineItemSourcedId' IN (
        SELECT l.sourced_id FROM roster_records l
        WHERE ${live('l', 'lineItems', tenantId)} AND l.fields->>'classSourcedId' = ${p(c.param)}))`;
    case 'linkedResource':
      return sql<boolean>`r.sourced_id IN (
        SELECT k.fields->>'resourceSourcedId' FROM roster_records k
        WHERE ${live('k', c.file, tenantId)} AND ${field('k', c.column)} = ${p(c.param)})`;
    default: {
      const never: never = c;
      throw new OneRosterError('internal_server_error', `unknown constraint ${JSON.stringify(never)}`);
    }
  }
}

/** `alias.fields->>'column'` with the column as a literal (checked: letters and digits only). */
export function field(alias: 'r' | 'k' | 'e' | 'x' | 'l', column: string): RawBuilder<string> {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(column)) throw new Error(`not a OneRoster column name: ${column}`);
  return sql<string>`${sql.raw(alias)}.fields->>${sql.lit(column)}`;
}

/** Active records of a file; the file name is a literal so the planner can match partial indexes. */
function live(alias: string, file: string, tenantId: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.raw(alias)}.tenant_id = ${tenantId}::uuid AND ${sql.raw(alias)}.file = ${fileLiteral(file)} AND ${sql.raw(alias)}.status = 'active'`;
}

export function fileLiteral(file: string): RawBuilder<string> {
  if (!/^[A-Za-z]+$/.test(file)) throw new Error(`not a OneRoster file name: ${file}`);
  return sql.lit(file) as RawBuilder<string>;
}
