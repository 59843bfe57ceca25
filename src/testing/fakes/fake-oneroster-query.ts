import { FakeStatusError } from './fake-oneroster-http.js';

/**
 * The collection query of the fake (fact sheet §3), kept deliberately small:
 * - `filter`: clauses `field='value'` and `dateLastModified>'…'` (also `>=`) joined by `AND` — what
 *   SDS's delta pulls send (§9.2). Anything else (OR, other predicates, dotted fields, unknown fields)
 *   is 400 `invalid_filter_field`, as a strict provider would answer;
 * - `sort`/`orderBy` on a known field, with sourcedId as the tiebreaker (§10.12); unknown field → 400
 *   `invalid_sort_field`; no sort → by sourcedId, so offset paging is stable;
 * - `fields` projection; unknown field → 400 `invalid_selection_field`.
 */
export type Row = Record<string, unknown>;

const BASE_FIELDS = ['sourcedId', 'status', 'dateLastModified', 'metadata'];

/**
 * The fake has no schema, so a collection's fields are the base fields plus every field any of its
 * records has had since the fake started (deleting the last record does not make a field unknown).
 */
export class FieldRegistry {
  private readonly byCollection = new Map<string, Set<string>>();

  note(collection: string, rows: readonly Row[]): void {
    const fields = this.byCollection.get(collection) ?? new Set(BASE_FIELDS);
    this.byCollection.set(collection, fields);
    for (const row of rows) for (const key of Object.keys(row)) fields.add(key);
  }

  of(collection: string): Set<string> {
    return this.byCollection.get(collection) ?? new Set(BASE_FIELDS);
  }
}

export function applyFilter(rows: Row[], filter: string | null, known: Set<string>): Row[] {
  if (filter === null) return rows;
  const clauses = parseFilter(filter, known);
  return rows.filter((row) => clauses.every((matches) => matches(row)));
}

function parseFilter(filter: string, known: Set<string>): Array<(row: Row) => boolean> {
  const invalid = (why: string) => new FakeStatusError(400, 'invalid_filter_field', `${why} in filter: ${filter}`);
  const clauses: Array<(row: Row) => boolean> = [];
  let rest = filter.trim();
  for (;;) {
    const m = /^([A-Za-z][\w.]*)\s*(>=|<=|!=|=|>|<|~)\s*'([^']*)'/.exec(rest);
    if (!m) throw invalid('unreadable clause');
    const [clause, field, predicate, value] = m as unknown as [string, string, string, string];
    if (!/^[A-Za-z]\w*$/.test(field) || !known.has(field)) throw invalid(`unknown field ${field}`);
    clauses.push(clauseMatcher(field, predicate, value, invalid));
    rest = rest.slice(clause.length).trim();
    if (rest === '') return clauses;
    const logical = /^AND\s+/.exec(rest);
    if (!logical) throw invalid('only AND is supported between clauses');
    rest = rest.slice(logical[0].length);
  }
}

function clauseMatcher(field: string, predicate: string, value: string, invalid: (why: string) => FakeStatusError): (row: Row) => boolean {
  if (predicate === '=') return (row) => row[field] !== undefined && String(row[field]) === value;
  if (field === 'dateLastModified' && (predicate === '>' || predicate === '>=')) {
    const since = Date.parse(value);
    if (Number.isNaN(since)) throw invalid(`'${value}' is not a date-time`);
    return (row) => {
      const at = Date.parse(String(row.dateLastModified));
      return predicate === '>' ? at > since : at >= since;
    };
  }
  throw invalid(`unsupported predicate ${predicate} on ${field}`);
}

export function applySort(rows: Row[], sort: string | null, orderBy: string | null, known: Set<string>): Row[] {
  if (sort !== null && !known.has(sort)) throw new FakeStatusError(400, 'invalid_sort_field', `unknown sort field ${sort}`);
  const direction = orderBy === 'desc' ? -1 : 1;
  const key = (row: Row, field: string) => (row[field] === undefined ? '' : String(row[field]));
  return [...rows].sort((a, b) => {
    const primary = sort === null ? 0 : compare(key(a, sort), key(b, sort)) * direction;
    return primary !== 0 ? primary : compare(key(a, 'sourcedId'), key(b, 'sourcedId'));
  });
}

export function applyFields(rows: Row[], fields: string | null, known: Set<string>): Row[] {
  if (fields === null) return rows;
  const names = fields.split(',').map((f) => f.trim());
  const unknown = names.find((n) => !known.has(n));
  if (unknown !== undefined) throw new FakeStatusError(400, 'invalid_selection_field', `unknown field ${unknown}`);
  return rows.map((row) => Object.fromEntries(names.filter((n) => n in row).map((n) => [n, row[n]])));
}

/** `limit` (default 100, capped at maxLimit) and `offset` (default 0), fact sheet §3. */
export function readPaging(params: URLSearchParams, maxLimit: number): { limit: number; offset: number } {
  const integer = (name: string, fallback: number, min: number) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new FakeStatusError(400, 'invaliddata', `${name} must be an integer ≥ ${min}`);
    return Number(raw);
  };
  return { limit: Math.min(integer('limit', 100, 1), maxLimit), offset: integer('offset', 0, 0) };
}

/** Binary (code unit) order: sourcedIds are case-sensitive (fact sheet §10.1). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
