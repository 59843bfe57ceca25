/**
 * Finding the payload inside a OneRoster response. Every response wraps it in one top-level property
 * whose name depends on the endpoint (fact sheet §2.1: `/schools` answers `orgs`, single demographics
 * answer `demographics`, SDS accepts `schools` or `orgs`), and some providers add other top-level
 * properties. So the key is found by shape, not by name: the one array-valued property for a
 * collection, the one object-valued property for a single object. The path's last word only breaks ties.
 */
export type Row = Record<string, unknown>;

/** Views answer with their base collection's key (fact sheet §2.1 notes). */
const VIEW_KEYS: Record<string, string> = {
  schools: 'orgs',
  students: 'users',
  teachers: 'users',
  terms: 'academicSessions',
  gradingPeriods: 'academicSessions',
};

export function collectionIn(body: unknown, path: string): Row[] | string {
  if (!isRow(body)) return 'the body is not a JSON object';
  const arrays = Object.keys(body).filter((k) => Array.isArray(body[k]));
  const key = arrays.length === 1 ? arrays[0] : tieBreak(arrays, path);
  if (key === undefined) {
    return arrays.length === 0
      ? `no array-valued property in ${describeKeys(body)}`
      : `several array-valued properties (${arrays.join(', ')}) and none named after the path`;
  }
  const rows = body[key] as unknown[];
  const bad = rows.findIndex((r) => !isRow(r));
  return bad < 0 ? (rows as Row[]) : `${key}[${bad}] is not an object`;
}

export function objectIn(body: unknown): Row | string {
  if (!isRow(body)) return 'the body is not a JSON object';
  const objects = Object.keys(body).filter((k) => isRow(body[k]) && !k.startsWith('imsx_'));
  if (objects.length === 1) return body[objects[0] as string] as Row;
  return objects.length === 0 ? `no object-valued property in ${describeKeys(body)}` : `several object-valued properties (${objects.join(', ')})`;
}

function tieBreak(keys: string[], path: string): string | undefined {
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  return [last, VIEW_KEYS[last]].find((k) => k !== undefined && keys.includes(k));
}

function describeKeys(body: Row): string {
  const keys = Object.keys(body);
  return keys.length === 0 ? 'an empty object' : `{${keys.slice(0, 10).join(', ')}}`;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
