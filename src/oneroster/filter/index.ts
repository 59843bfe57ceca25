/** The OneRoster REST query grammar (fact sheet §3): filter parsing and compilation, list parameters. */
export { type FilterClause, type FilterCombination, type FilterExpr, type LogicalOperator, PREDICATES, type Predicate } from './ast.js';
export { compileFilter } from './compile-filter.js';
export { type QueryCodeMinor, QueryError } from './errors.js';
export { type FieldResolver, type FieldType, type FilterField, resolverFrom } from './filter-field.js';
export { MAX_CLAUSES, MAX_FILTER_LENGTH, type OneRosterVersion, parseFilter } from './parse-filter.js';
export { type ListQuery, type ListQueryOptions, parseFieldsParam, parseListQuery } from './query-params.js';
