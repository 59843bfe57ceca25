/**
 * The parsed form of a OneRoster `filter` (fact sheet §3, "Filter grammar"). A clause compares one
 * field with one quoted value; clauses combine with AND and OR into a binary tree in which AND binds
 * tighter than OR and both associate to the left (`a OR b AND c` is `a OR (b AND c)`).
 */
export const PREDICATES = ['=', '!=', '>', '>=', '<', '<=', '~'] as const;

export type Predicate = (typeof PREDICATES)[number];

/** The spec writes the logical operators in uppercase, and so must clients. */
export type LogicalOperator = 'AND' | 'OR';

export interface FilterClause {
  kind: 'clause';
  field: string;
  predicate: Predicate;
  /** The value with its quotes removed and each doubled quote (`''`) turned back into one. */
  value: string;
}

export interface FilterCombination {
  kind: 'and' | 'or';
  left: FilterExpr;
  right: FilterExpr;
}

export type FilterExpr = FilterClause | FilterCombination;

export function isPredicate(text: string): text is Predicate {
  return (PREDICATES as readonly string[]).includes(text);
}

/** The clause as a client would write it, for error messages. */
export function clauseText(clause: FilterClause): string {
  return `${clause.field}${clause.predicate}'${clause.value.replaceAll("'", "''")}'`;
}
