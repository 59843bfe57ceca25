import { type RawBuilder, sql } from 'kysely';
import { clauseText, type FilterExpr } from './ast.js';
import { compileTypedClause } from './compile-clause.js';
import { QueryError, quoteForMessage } from './errors.js';
import type { FieldResolver } from './filter-field.js';

export type { FieldResolver, FieldType, FilterField } from './filter-field.js';

/**
 * A parsed filter as a parameterised SQL condition, for a WHERE clause. Each AND / OR is wrapped in
 * parentheses, so the tree's grouping (AND before OR) survives whatever SQL surrounds it.
 * A field the resolver does not know is the client's `invalid_filter_field` (fact sheet §3).
 */
export function compileFilter(expr: FilterExpr, resolve: FieldResolver): RawBuilder<boolean> {
  switch (expr.kind) {
    case 'clause': {
      const field = resolve(expr.field);
      if (field === undefined) {
        throw new QueryError(
          'invalid_filter_field',
          `Invalid filter: ${quoteForMessage(expr.field)} is not a field this endpoint can filter on (in ${quoteForMessage(clauseText(expr))}).`,
        );
      }
      return field.type === 'custom' ? field.compile(expr.predicate, expr.value) : compileTypedClause(field.type, field.expr, expr);
    }
    case 'and':
      return sql<boolean>`(${compileFilter(expr.left, resolve)} AND ${compileFilter(expr.right, resolve)})`;
    case 'or':
      return sql<boolean>`(${compileFilter(expr.left, resolve)} OR ${compileFilter(expr.right, resolve)})`;
    default: {
      const unreachable: never = expr;
      throw new Error(`unknown filter node ${JSON.stringify(unreachable)}`);
    }
  }
}
