import type { FilterExpr } from './ast.js';
import { type QueryCodeMinor, QueryError, quoteForMessage } from './errors.js';
import { type OneRosterVersion, parseFilter } from './parse-filter.js';

/**
 * The query parameters of a OneRoster collection GET (fact sheet §3): `limit`, `offset`, `sort`,
 * `orderBy`, `filter`, `fields`. The input is what Express's simple query parser yields — a string,
 * or an array of strings when a parameter repeats. Other parameters are ignored: real clients add
 * cache-busters (`_=1700000000`) and vendor extras.
 *
 * Empty values (`limit=`, `sort=`) are errors like any other malformed value: the OAS declares every
 * parameter `allowEmptyValue: false`. The one exception is `fields`, whose empty entries are skipped.
 */
export interface ListQuery {
  limit: number;
  offset: number;
  sort?: string;
  orderBy: 'asc' | 'desc';
  fields?: string[];
  filter?: FilterExpr;
}

export interface ListQueryOptions {
  version: OneRosterVersion;
  /** The page size when the client gives none (the OAS default is 100). */
  defaultLimit: number;
  /** The largest page served; larger requests are served this many (see parseListQuery). */
  maxLimit: number;
  sortable(name: string): boolean;
  selectable(name: string): boolean;
}

/** The OAS declares limit and offset int32; a larger offset would overflow in the database. */
const MAX_OFFSET = 2 ** 31 - 1;

export function parseListQuery(query: Record<string, unknown>, options: ListQueryOptions): ListQuery {
  // A limit above the maximum is served at the maximum rather than refused: providers cap their page
  // size, and clients rely on that — Google's and SDS's tests send limit=10000 and expect a 200
  // (fact sheet §9). They page on until a short page or the Link header, so nothing is lost.
  const limit = Math.min(integer(query, 'limit', 1) ?? options.defaultLimit, options.maxLimit);
  const offset = integer(query, 'offset', 0) ?? 0;
  if (offset > MAX_OFFSET) throw new QueryError('invaliddata', `The offset parameter may be at most ${MAX_OFFSET}; got ${offset}.`);

  const sort = single(query, 'sort', 'invalid_sort_field');
  if (sort !== undefined && !options.sortable(sort)) {
    throw new QueryError('invalid_sort_field', `The sort parameter names ${quoteForMessage(sort)}, which is not a field this endpoint can sort on.`);
  }
  // orderBy alone is harmless (the default order is by sourcedId), but still has to be asc or desc.
  const orderBy = single(query, 'orderBy', 'invalid_sort_field');
  const order = orderBy?.toLowerCase() ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new QueryError('invalid_sort_field', `The orderBy parameter must be asc or desc; got ${quoteForMessage(orderBy ?? '')}.`);
  }

  const filterText = single(query, 'filter', 'invalid_filter_field');
  const filter = filterText === undefined ? undefined : parseFilter(filterText, options.version);
  const fields = parseFieldsParam(query.fields, options.selectable);
  return { limit, offset, orderBy: order, ...(sort !== undefined && { sort }), ...(fields && { fields }), ...(filter && { filter }) };
}

/**
 * The `fields` parameter, also the only parameter of single-object GETs: names separated by commas,
 * trimmed; empty entries are skipped and repeats dropped. A repeated parameter (`fields=a&fields=b`)
 * is merged, since that is the OAS's own encoding of an array in form style. `undefined` when no name
 * is given, which means every field.
 */
export function parseFieldsParam(value: unknown, selectable: (name: string) => boolean): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  if (!parts.every((part): part is string => typeof part === 'string')) {
    throw new QueryError('invalid_selection_field', 'The fields parameter must be a comma-separated list of field names.');
  }
  const names = [...new Set(parts.flatMap((part) => part.split(',')).map((name) => name.trim()))].filter((name) => name !== '');
  const unknown = names.find((name) => !selectable(name));
  if (unknown !== undefined) {
    throw new QueryError('invalid_selection_field', `The fields parameter names ${quoteForMessage(unknown)}, which is not a field of this endpoint.`);
  }
  return names.length > 0 ? names : undefined;
}

/** The parameter's one value; a repeated parameter is an error, reported with `code`. */
function single(query: Record<string, unknown>, name: string, code: QueryCodeMinor): string | undefined {
  let value = Object.hasOwn(query, name) ? query[name] : undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) throw new QueryError(code, `The ${name} parameter is given ${value.length} times; give it once.`);
    value = value[0];
  }
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QueryError(code, `The ${name} parameter must be a single text value.`);
  return value;
}

function integer(query: Record<string, unknown>, name: 'limit' | 'offset', min: number): number | undefined {
  const text = single(query, name, 'invaliddata');
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min)) {
    throw new QueryError('invaliddata', `The ${name} parameter must be a whole number of at least ${min}; got ${quoteForMessage(text)}.`);
  }
  return value;
}
