import { csvSpec } from '../csv/spec.js';
import { checkFor, date, dateTime, guid } from '../csv/value-checks.js';
import { type EntityDef, type FieldDef, fileOfRefType } from './rest-tables.js';
import { OneRosterError } from './status-info.js';

const V12 = csvSpec('1.2');
const BASE = new Set(['sourcedId', 'status', 'dateLastModified', 'metadata']);
const MAX_TEXT = 10_000;

export interface WritableRecord {
  fields: Record<string, string>;
  metadata: Record<string, unknown> | undefined;
  /** References to check against stored records: column → target file. */
  refs: Array<{ pointer: string; file: string; sourcedId: string }>;
}

/**
 * A REST entity body (`{"result": {…}}`'s inner object) as the record's stored columns — the inverse
 * of assemble.ts, driven by the same entity table. The OpenAPI schemas are `additionalProperties:
 * false`, so unknown properties are refused; GUIDRefs may carry only `sourcedId` (Google's tests PUT
 * them so). Values get the CSV binding's format and vocabulary checks, so a record written over REST
 * exports to a valid CSV package. Every problem is a 422 invaliddata naming the JSON pointer.
 * `given` columns are set by the caller (a POST's path names the class): they win over the body, which
 * may omit them, and need no reference check (the caller has checked the parent).
 */
export function toWritable(entity: EntityDef, body: unknown, pointer: string, given: Readonly<Record<string, string>> = {}): WritableRecord {
  const obj = object(body, pointer);
  const byName = new Map(entity.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(obj)) {
    if (!BASE.has(key) && !byName.has(key)) fail(`${pointer}/${key}`, `is not a field of ${entity.single}`);
  }
  const fileSpec = V12.files.find((f) => f.name === entity.file);
  const out: WritableRecord = { fields: {}, metadata: undefined, refs: [] };
  if (obj.metadata !== undefined) out.metadata = object(obj.metadata, `${pointer}/metadata`);
  for (const f of entity.fields) {
    const at = `${pointer}/${f.name}`;
    const fixed = f.column === undefined ? undefined : given[f.column];
    if (fixed !== undefined) {
      out.fields[f.column as string] = fixed;
      continue;
    }
    const v = obj[f.name];
    if (v === undefined || v === null) {
      if (f.required) fail(at, 'is required');
      continue;
    }
    const text = storedValue(f, v, at, out.refs);
    if (text === undefined || !f.column) continue;
    const column = fileSpec?.columns.find((c) => c.name === f.column);
    // REST date-times (line items' assignDate/dueDate) are wider than the CSV's date columns; the CSV
    // export writes their date part.
    const problem = column && f.kind !== 'datetime' ? checkFor(column)?.(text) : undefined;
    if (problem) fail(at, problem.message);
    out.fields[f.column] = text;
  }
  // Column order of the CSV file, so the content hash equals the CSV import's for the same values.
  if (fileSpec) {
    const ordered: Record<string, string> = {};
    for (const c of fileSpec.columns) if (out.fields[c.name] !== undefined) ordered[c.name] = out.fields[c.name] as string;
    out.fields = ordered;
  }
  return out;
}

function storedValue(f: FieldDef, v: unknown, at: string, refs: WritableRecord['refs']): string | undefined {
  switch (f.kind) {
    case 'text':
      return text(v, at);
    case 'date': {
      const s = text(v, at);
      if (date(s)) fail(at, 'must be a date (YYYY-MM-DD)');
      return s;
    }
    case 'datetime': {
      const s = text(v, at);
      if (date(s) && dateTime(s)) fail(at, 'must be a date-time with a UTC zone (YYYY-MM-DDTHH:MM:SS.sssZ) or a date');
      return s;
    }
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, 'must be a number');
      return String(v);
    case 'bool':
      if (v !== 'true' && v !== 'false' && typeof v !== 'boolean') fail(at, 'must be "true" or "false"');
      return String(v);
    case 'list':
      return array(v, at)
        .map((item, i) => {
          const s = text(item, `${at}/${i}`);
          if (s.includes(',')) fail(`${at}/${i}`, 'must not contain a comma');
          return s;
        })
        .join(',');
    case 'ref':
      return ref(f, v, at, refs);
    case 'refList':
      return array(v, at)
        .map((item, i) => ref(f, item, `${at}/${i}`, refs))
        .join(',');
    case 'userIds':
    case 'scoreScaleValue': {
      const [a, b] = f.kind === 'userIds' ? ['type', 'identifier'] : ['itemValueLHS', 'itemValueRHS'];
      return array(v, at)
        .map((item, i) => {
          const o = object(item, `${at}/${i}`);
          return `{${text(o[a], `${at}/${i}/${a}`)}:${text(o[b], `${at}/${i}/${b}`)}}`;
        })
        .join(',');
    }
    default:
      fail(at, 'cannot be written through this endpoint');
  }
}

function ref(f: FieldDef, v: unknown, at: string, refs: WritableRecord['refs']): string {
  const o = object(v, at);
  const id = text(o.sourcedId, `${at}/sourcedId`);
  if (guid(id)) fail(`${at}/sourcedId`, 'is not a sourcedId');
  if (o.type !== undefined && o.type !== f.refType) fail(`${at}/type`, `must be ${f.refType}`);
  const file = fileOfRefType(f.refType ?? '');
  if (file) refs.push({ pointer: `${at}/sourcedId`, file, sourcedId: id });
  return id;
}

function text(v: unknown, at: string): string {
  if (typeof v !== 'string') fail(at, 'must be a string');
  if (v.length > MAX_TEXT) fail(at, `must be at most ${MAX_TEXT} characters`);
  // The CSV binding allows no line breaks inside a field; refusing them here keeps exports valid.
  if (/[\r\n]/.test(v)) fail(at, 'must not contain line breaks');
  return v;
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'must be an object');
  return v as Record<string, unknown>;
}

function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) fail(at, 'must be an array');
  return v;
}

function fail(pointer: string, message: string): never {
  throw new OneRosterError('invaliddata', `${pointer || '/'} ${message}`);
}
