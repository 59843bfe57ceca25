import type { RawBuilder } from 'kysely';
import type { Predicate } from './ast.js';

/**
 * How a filterable field is stored, which decides what its predicates mean (see compile-clause.ts):
 * - `string`: text; `date`: `YYYY-MM-DD` text; `datetime`: timestamptz; `number`: numeric;
 * - `boolean`: the text `true` / `false` (OneRoster's string booleans); `list`: a `text[]`.
 */
export type FieldType = 'string' | 'date' | 'datetime' | 'number' | 'boolean' | 'list';

export type FilterField =
  /** `expr` is the SQL for the stored value, e.g. sql`u.given_name`; it must not contain client text. */
  | { type: FieldType; expr: RawBuilder<unknown> }
  /** A field with its own meaning (a vocabulary mapped to codes, a join); it must bind `value` as a parameter. */
  | { type: 'custom'; compile(predicate: Predicate, value: string): RawBuilder<boolean> };

/** The filterable fields of one endpoint, by their OneRoster name; `undefined` for any other name. */
export type FieldResolver = (name: string) => FilterField | undefined;

/**
 * A resolver over a table of fields. It looks names up as own properties only, so that a client's
 * `constructor` or `__proto__` is an unknown field rather than something from Object.prototype.
 */
export function resolverFrom(fields: Readonly<Record<string, FilterField>>): FieldResolver {
  return (name) => (Object.hasOwn(fields, name) ? fields[name] : undefined);
}
