import { type RawBuilder, sql } from 'kysely';
import { type FieldResolver, type FilterField, type Predicate, QueryError } from '../filter/index.js';
import { roles12For } from '../roles-11.js';
import { field } from './constraints.js';
import type { EntityDef } from './rest-tables.js';

/**
 * What clients may name in `filter`, `sort` and `fields` for an entity (fact sheet §3), and the SQL
 * each filterable name stands for over `roster_records r`:
 * - the base fields `sourcedId`, `status`, `dateLastModified` (real columns);
 * - scalar fields under their REST names; GUIDRef fields as `<name>.sourcedId` (e.g.
 *   `school.sourcedId`; the fact sheet leaves nested filters open, EdHub supports this one form);
 * - users' roles: `roles.role`, `roles.roleType`, `roles.org.sourcedId` on 1.2, `role` and
 *   `orgs.sourcedId` on 1.1 — and `role` on 1.2 too, because clients written for 1.1 and SDS send it.
 * Sorting takes the scalar ones; `fields` takes every top-level REST field.
 */
export interface EntityFields {
  resolve: FieldResolver;
  sortable(name: string): boolean;
  selectable(name: string): boolean;
  /** The SQL to order by for a sortable name. */
  sortExpr(name: string): RawBuilder<unknown>;
}

const BASE: Record<string, FilterField> = {
  sourcedId: { type: 'string', expr: sql`r.sourced_id` },
  status: { type: 'string', expr: sql`r.status` },
  dateLastModified: { type: 'datetime', expr: sql`r.date_last_modified` },
};

const cache = new Map<EntityDef, EntityFields>();

/** The fields of an entity view (entityOf returns one object per entity and version, so this is built once). */
export function entityFields(entity: EntityDef): EntityFields {
  let fields = cache.get(entity);
  if (!fields) {
    fields = buildEntityFields(entity);
    cache.set(entity, fields);
  }
  return fields;
}

function buildEntityFields(entity: EntityDef): EntityFields {
  const filterable = new Map<string, FilterField>(Object.entries(BASE));
  const sortable = new Set(Object.keys(BASE));
  for (const f of entity.fields) {
    if (f.filter === false) continue;
    const column = f.column ?? '';
    switch (f.kind) {
      case 'text':
      case 'datetime':
        filterable.set(f.name, { type: 'string', expr: field('r', column) });
        sortable.add(f.name);
        break;
      case 'date':
        filterable.set(f.name, { type: 'date', expr: field('r', column) });
        sortable.add(f.name);
        break;
      case 'float':
        filterable.set(f.name, { type: 'number', expr: sql`(${field('r', column)})::numeric` });
        sortable.add(f.name);
        break;
      case 'bool':
        filterable.set(f.name, { type: 'boolean', expr: field('r', column) });
        sortable.add(f.name);
        break;
      case 'list':
        filterable.set(f.name, { type: 'list', expr: sql`string_to_array(${field('r', column)}, ',')` });
        break;
      case 'ref':
        filterable.set(`${f.name}.sourcedId`, { type: 'string', expr: field('r', column) });
        sortable.add(`${f.name}.sourcedId`);
        break;
      case 'refList':
        filterable.set(`${f.name}.sourcedId`, { type: 'list', expr: sql`string_to_array(${field('r', column)}, ',')` });
        break;
      case 'roles':
        filterable.set(
          'roles.role',
          roleField('role', (v) => [v]),
        );
        filterable.set(
          'roles.roleType',
          roleField('roleType', (v) => [v]),
        );
        filterable.set(
          'roles.org.sourcedId',
          roleField('orgSourcedId', (v) => [v]),
        );
        filterable.set(
          'role',
          roleField('role', (v) => [v]),
        );
        break;
      case 'role11':
        filterable.set('role', roleField('role', roles12For));
        break;
      case 'orgs11':
        filterable.set(
          'orgs.sourcedId',
          roleField('orgSourcedId', (v) => [v]),
        );
        break;
      default:
        break;
    }
  }
  const selectable = new Set(['sourcedId', 'status', 'dateLastModified', 'metadata', ...entity.fields.map((f) => f.name)]);
  return {
    resolve: (name) => (filterable.has(name) ? filterable.get(name) : undefined),
    sortable: (name) => sortable.has(name),
    selectable: (name) => selectable.has(name),
    sortExpr: (name) => {
      const f = filterable.get(name);
      if (!f || f.type === 'custom') throw new QueryError('invalid_sort_field', `cannot sort on ${name}`);
      // Unicode code-point order for text (the OAS asks for Unicode ordering), numbers as numbers.
      return f.type === 'number' || f.type === 'datetime' ? f.expr : sql`${f.expr} COLLATE "C"`;
    },
  };
}

/**
 * A filter on a user's roles (roles.csv rows of the user, in the tenant of the row being filtered): `=` means "has an active role with this
 * value", `!=` "has none", `~` "has one containing it". Other predicates make no sense on a set.
 */
function roleField(column: 'role' | 'roleType' | 'orgSourcedId', values: (v: string) => string[]): FilterField {
  return {
    type: 'custom',
    compile(predicate: Predicate, value: string): RawBuilder<boolean> {
      // EXISTS, not IN: a correlated IN runs once per user row, EXISTS becomes a semi-join the planner
      // can hash or drive from roster_records_role_user_idx. That index is on a default-collation
      // expression: comparing it with sourced_id (collation "C") under "C" would rule the index out.
      const has = (condition: RawBuilder<unknown>) => sql<boolean>`EXISTS (SELECT 1 FROM roster_records x
        WHERE x.tenant_id = r.tenant_id AND x.file = 'roles' AND x.status = 'active'
          AND x.fields->>'userSourcedId' = r.sourced_id COLLATE "default" AND ${condition})`;
      const col = field('x', column);
      switch (predicate) {
        case '=':
          return has(sql`${col} = ANY(${values(value)}::text[])`);
        case '!=':
          return sql<boolean>`NOT ${has(sql`${col} = ANY(${values(value)}::text[])`)}`;
        case '~':
          return has(sql`${col} ILIKE ${`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
        default:
          throw new QueryError('invalid_filter_field', `A role filter supports =, != and ~, not ${predicate}.`);
      }
    },
  };
}
