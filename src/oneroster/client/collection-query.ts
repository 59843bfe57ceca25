import { percentEncode } from './percent-encode.js';

/** The query parameters of a collection GET (fact sheet §3), besides limit and offset. */
export interface ListQuery {
  filter?: string;
  fields?: string[];
  sort?: string;
  orderBy?: 'asc' | 'desc';
}

/**
 * The query string of one page. Values are percent-encoded per RFC 3986 (a space is `%20`, never `+`),
 * so what is sent is exactly what an OAuth 1.0a signature covers and no provider has to guess how `+`
 * decodes. `fields` keeps its commas literal: the spec's form style is `fields=sourcedId,givenName`.
 */
export function pageQuery(q: ListQuery, limit: number, offset: number): string {
  const params: Array<[string, string]> = [
    ['limit', String(limit)],
    ['offset', String(offset)],
  ];
  if (q.sort !== undefined) params.push(['sort', percentEncode(q.sort)]);
  if (q.orderBy !== undefined) params.push(['orderBy', percentEncode(q.orderBy)]);
  if (q.filter !== undefined) params.push(['filter', percentEncode(q.filter)]);
  if (q.fields !== undefined && q.fields.length > 0) params.push(['fields', q.fields.map(percentEncode).join(',')]);
  return params.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Checks a query before anything is sent. 1.1 allows at most one logical operator in a filter
 * (`[field][predicate][value][logical][field][predicate][value]`, fact sheet §3), and EdHub as a
 * consumer must never send more to a 1.1 provider; 1.2 providers accept more.
 */
export function checkListQuery(q: ListQuery, servesV1p1: boolean): void {
  if (q.filter !== undefined && servesV1p1 && logicalOperators(q.filter) > 1) {
    throw new TypeError(`OneRoster 1.1 filters allow at most one AND/OR; split the query: ${q.filter}`);
  }
  for (const field of q.fields ?? []) {
    if (field === '' || field.includes(',')) throw new TypeError(`OneRoster fields entries must be single field names, got '${field}'`);
  }
  if (q.orderBy !== undefined && q.orderBy !== 'asc' && q.orderBy !== 'desc') throw new TypeError(`orderBy must be asc or desc, got ${String(q.orderBy)}`);
}

/** ` AND ` / ` OR ` outside single-quoted values. */
function logicalOperators(filter: string): number {
  const outsideQuotes = filter.replace(/'[^']*'/g, "''");
  return outsideQuotes.match(/\s(?:AND|OR)\s/g)?.length ?? 0;
}
