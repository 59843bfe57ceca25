import { type RawBuilder, sql } from 'kysely';
import { clauseText, type FilterClause, type Predicate } from './ast.js';
import { QueryError, quoteForMessage } from './errors.js';
import type { FieldType } from './filter-field.js';
import { escapeLike, isDecimal, isIsoDate, toBooleanText, toTimestamptzText } from './filter-values.js';

/**
 * One filter clause as SQL, by the stored type of its field. The client's value is always a bound
 * parameter; the only SQL text chosen from the request is an operator from the closed table below.
 *
 * NULL (an absent field) never matches `=`, `~` or an ordering predicate, and always matches `!=`:
 * a user without an email is "not equal to x", hence IS DISTINCT FROM rather than `<>`.
 */
type Ordering = '<' | '<=' | '>' | '>=';

const ORDERING: Record<Ordering, RawBuilder<unknown>> = { '<': sql.raw('<'), '<=': sql.raw('<='), '>': sql.raw('>'), '>=': sql.raw('>=') };

export function compileTypedClause(type: FieldType, expr: RawBuilder<unknown>, clause: FilterClause): RawBuilder<boolean> {
  const { predicate, value } = clause;
  switch (type) {
    case 'string':
      // `=` stays collation-free so that ordinary indexes serve it; PostgreSQL's default collations are
      // deterministic, so it is already exact and case-sensitive (sourcedIds are: fact sheet §10.1).
      // Ordering uses "C" — code point order, the [UNICODE] order the OAS asks sorting to follow —
      // so that `>` agrees with `sort` whatever the database's locale.
      if (predicate === '~') return contains(expr, value);
      return compare(expr, predicate, sql`${value}::text`, sql`(${expr}) COLLATE "C"`);
    case 'date':
      // `YYYY-MM-DD` text orders like the dates it spells. `~` matches part of the text (`~'2015'`).
      if (predicate === '~') return contains(expr, value);
      if (!isIsoDate(value)) throw invalidValue(clause, 'a date (YYYY-MM-DD)');
      return compare(expr, predicate, sql`${value}::text`, sql`(${expr}) COLLATE "C"`);
    case 'datetime': {
      if (predicate === '~') throw unsupported(clause, type, '=, !=, >, >=, < or <=');
      const instant = toTimestamptzText(value);
      if (instant === undefined) throw invalidValue(clause, 'an ISO 8601 date (YYYY-MM-DD) or date-time with Z or an offset');
      return compare(expr, predicate, sql`${instant}::timestamptz`);
    }
    case 'number':
      if (predicate === '~') throw unsupported(clause, type, '=, !=, >, >=, < or <=');
      if (!isDecimal(value)) throw invalidValue(clause, 'a decimal number');
      return compare(expr, predicate, sql`${value}::numeric`);
    case 'boolean': {
      if (predicate !== '=' && predicate !== '!=') throw unsupported(clause, type, '= or !=');
      const text = toBooleanText(value);
      if (text === undefined) throw invalidValue(clause, "'true' or 'false'");
      return compare(expr, predicate, sql`${text}::text`);
    }
    case 'list':
      return listClause(expr, clause);
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${String(unreachable)}`);
    }
  }
}

/** `left` is what the ordering predicates compare (a collated expression for text). */
function compare(expr: RawBuilder<unknown>, predicate: Exclude<Predicate, '~'>, value: RawBuilder<unknown>, left = sql`(${expr})`): RawBuilder<boolean> {
  if (predicate === '=') return sql<boolean>`(${expr}) = ${value}`;
  if (predicate === '!=') return sql<boolean>`(${expr}) IS DISTINCT FROM ${value}`;
  return sql<boolean>`${left} ${ORDERING[predicate]} ${value}`;
}

/**
 * `~` is "contains, ignoring case" (Ed-Fi's reading): ILIKE with the value's own wildcards escaped.
 * `'\'` is one backslash because standard_conforming_strings is on (PostgreSQL's default since 9.1).
 */
function contains(expr: RawBuilder<unknown>, value: string): RawBuilder<boolean> {
  return sql<boolean>`(${expr}) ILIKE ('%' || ${escapeLike(value)}::text || '%') ESCAPE '\\'`;
}

/**
 * A list field "equals" a value when it holds it, and "is not equal" when it does not; a NULL list
 * (and a NULL element) counts as not holding it. `~`: some element contains the value.
 */
function listClause(expr: RawBuilder<unknown>, clause: FilterClause): RawBuilder<boolean> {
  const { predicate, value } = clause;
  switch (predicate) {
    case '=':
      return sql<boolean>`${value}::text = ANY(${expr})`;
    case '!=':
      return sql<boolean>`NOT coalesce(${value}::text = ANY(${expr}), false)`;
    case '~':
      return sql<boolean>`EXISTS (SELECT 1 FROM unnest(${expr}) AS filter_list(element) WHERE ${contains(sql`filter_list.element`, value)})`;
    default:
      throw unsupported(clause, 'list', '=, != or ~');
  }
}

function invalidValue(clause: FilterClause, expected: string): QueryError {
  return new QueryError(
    'invalid_filter_field',
    `Invalid filter value ${quoteForMessage(clause.value)} for ${quoteForMessage(clause.field)}: expected ${expected} (in ${quoteForMessage(clauseText(clause))}).`,
  );
}

function unsupported(clause: FilterClause, type: FieldType, allowed: string): QueryError {
  const kind = type === 'datetime' ? 'date-time' : type;
  return new QueryError(
    'invalid_filter_field',
    `Invalid filter: the predicate ${clause.predicate} does not apply to the ${kind} field ${quoteForMessage(clause.field)}; use ${allowed} (in ${quoteForMessage(clauseText(clause))}).`,
  );
}
