/**
 * REST JSON values as OneRoster CSV cell text (the reverse of rest/assemble.ts's rendering). A consumer
 * is lenient about the form and strict about the meaning: JSON booleans are read as "true"/"false"
 * (fact sheet §10.8), numbers as their text, a bare sourcedId where a GUIDRef belongs as that id. A
 * value that cannot mean anything in its place (an object where text belongs) is reported and left
 * blank. The CSV validator then checks formats and vocabularies as for any uploaded package.
 */
export type Json = Record<string, unknown>;

/** What is wrong with a value (pull-result.ts explains the codes); `rest.shape` unless told. */
export type ValueProblemCode = 'rest.shape' | 'rest.too-long' | 'rest.line-break' | 'rest.lossy';

/** Reports a problem with the value at `field` (a path below the record, e.g. `terms/2`). */
export type Report = (field: string, message: string, code?: ValueProblemCode) => void;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function scalar(v: unknown, field: string, report: Report): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  report(field, `must be a string, not ${describe(v)}`);
  return '';
}

/** A GUIDRef's sourcedId (fact sheet §7.2); `type` and `href` are not needed to store the reference. */
export function refId(v: unknown, field: string, report: Report): string {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.sourcedId === 'string') return v.sourcedId;
  report(isObject(v) ? `${field}/sourcedId` : field, isObject(v) ? 'a GUIDRef needs a sourcedId string' : `must be a GUIDRef, not ${describe(v)}`);
  return '';
}

/** A JSON array as a CSV list (comma-separated in one field, fact sheet §8.1); a string is taken as already joined. */
export function list(v: unknown, field: string, report: Report, item: (x: unknown, at: string) => string): string {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) {
    report(field, `must be an array, not ${describe(v)}`);
    return '';
  }
  const items = v.map((x, i) => item(x, `${field}/${i}`));
  const bad = items.findIndex((x) => x.includes(','));
  if (bad >= 0) {
    report(`${field}/${bad}`, 'contains a comma, which a OneRoster CSV list cannot hold');
    return '';
  }
  return items.join(',');
}

/** `[{a, b}]` as the CSV's `{a:b},{c:d}` form (userIds, scoreScaleValue). */
export function pairs(v: unknown, field: string, report: Report, [left, right]: [string, string]): string {
  if (!Array.isArray(v)) {
    report(field, `must be an array, not ${describe(v)}`);
    return '';
  }
  return v
    .map((x, i) => {
      if (!isObject(x)) {
        report(`${field}/${i}`, `must be an object, not ${describe(x)}`);
        return '';
      }
      return `{${scalar(x[left], `${field}/${i}/${left}`, report)}:${scalar(x[right], `${field}/${i}/${right}`, report)}}`;
    })
    .join(',');
}

const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A REST date-time as the CSV's exact `YYYY-MM-DDTHH:MM:SS.sssZ` (fact sheet §8.2): a provider sending
 * `…T10:00:00Z` or an offset means the same instant. Anything unreadable is passed on unchanged, for the
 * validator to name.
 */
export function canonicalDateTime(text: string): string {
  if (!DATE_TIME_WITH_ZONE.test(text)) return text;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : at.toISOString();
}

/**
 * A date-time where the CSV column is a date (line items' assignDate and dueDate, fact sheet §8.2): the
 * UTC date part, as the CSV export writes it. A date stays a date.
 */
export function dateOf(text: string): string {
  const canonical = canonicalDateTime(text);
  return canonical === text && !DATE_TIME_WITH_ZONE.test(text) ? text : canonical.slice(0, 10);
}

/** `metadata` (free-form, fact sheet §7.1) as `metadata.<key>` column values: nested objects flattened with dots. */
export function flattenMetadata(v: unknown, field: string, report: Report): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    report(field, `must be an object, not ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  const walk = (o: Json, prefix: string) => {
    for (const [k, x] of Object.entries(o)) {
      if (isObject(x)) walk(x, `${prefix}${k}.`);
      else if (x !== null && x !== undefined) out[`${prefix}${k}`] = typeof x === 'string' ? x : JSON.stringify(x);
    }
  };
  walk(v, '');
  return Object.keys(out).length > 0 ? out : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
