/**
 * Compares EdHub's generated OneRoster 1.2 discovery documents (src/oneroster/rest/openapi/) with the
 * official 1EdTech OpenAPI files: the same paths and methods, the same operationIds, and per schema the
 * same required properties and enumerations. Prints every difference; exits 1 when one is not in the
 * KNOWN table below (each entry says why EdHub differs on purpose), 2 when the files cannot be read.
 * Not a test: CI has no copy of the official files.
 * Usage: tsx scripts/check-oneroster-openapi.ts [directory holding onerosterv1p2*service_openapi3_v1p0.json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../src/oneroster/rest/openapi/component-schemas.js';
import { discoveryDocumentFor } from '../src/oneroster/rest/openapi/documents.js';
import type { Service } from '../src/oneroster/rest/rest-tables.js';

const DEFAULT_DIR = '/work/shared/reference/oneroster';
const SERVICES: Service[] = ['rostering', 'gradebook', 'resources'];

const LEARNING_OBJECTIVES =
  'EdHub does not serve learning objectives over REST yet (the CSV files lineItemLearningObjectiveIds/resultLearningObjectiveIds are imported but not assembled into line items and results)';
const EXTRA_CODES =
  'EdHub answers an unknown sort field with invalid_sort_field (fact sheet §3; only the Resources file names it) and a method a path lacks with 405 unsupported, on every service';

/** Differences EdHub keeps on purpose, with the reason. A key is exactly the printed difference. */
const KNOWN: Record<string, string> = {
  'gradebook: schema LearningObjectiveSetDType: only in the official file': LEARNING_OBJECTIVES,
  'gradebook: schema LearningObjectiveScoreSetDType: only in the official file': LEARNING_OBJECTIVES,
  'gradebook: schema LearningObjectiveResultsDType: only in the official file': LEARNING_OBJECTIVES,
  'gradebook: LineItemDType required: official has school, EdHub does not':
    "EdHub accepts line items without a school (Google's PUT bodies and POST /classes/{id}/lineItems need not name one), so it cannot promise one on every line item it serves",
  'rostering: imsx_CodeMinorFieldDType.imsx_codeMinorFieldValue enum: EdHub adds invalid_sort_field, unsupported': EXTRA_CODES,
  'gradebook: imsx_CodeMinorFieldDType.imsx_codeMinorFieldValue enum: EdHub adds invalid_sort_field, unsupported': EXTRA_CODES,
};

function main(): number {
  const dir = process.argv[2] ?? DEFAULT_DIR;
  const differences: string[] = [];
  for (const service of SERVICES) {
    const ours = discoveryDocumentFor('1.2', service);
    let official: Json;
    try {
      official = JSON.parse(readFileSync(join(dir, ours.file), 'utf8')) as Json;
    } catch (err) {
      console.error(`check-oneroster-openapi: cannot read ${join(dir, ours.file)}: ${(err as Error).message}`);
      return 2;
    }
    differences.push(...compare(official, ours.document).map((d) => `${service}: ${d}`));
  }
  let unexplained = 0;
  for (const d of differences) {
    const reason = KNOWN[d];
    if (reason) console.log(`known  ${d}\n       why: ${reason}`);
    else {
      unexplained++;
      console.log(`DIFF   ${d}`);
    }
  }
  const stale = Object.keys(KNOWN).filter((k) => !differences.includes(k));
  for (const k of stale) console.log(`stale  KNOWN entry no longer needed: ${k}`);
  console.log(`${differences.length} difference(s), ${unexplained} unexplained, ${stale.length} stale KNOWN entr${stale.length === 1 ? 'y' : 'ies'}`);
  return unexplained > 0 || stale.length > 0 ? 1 : 0;
}

function compare(official: Json, ours: Json): string[] {
  const out: string[] = [];
  const a = operations(official);
  const b = operations(ours);
  for (const [key, id] of a) {
    if (!b.has(key)) out.push(`operation ${key}: only in the official file`);
    else if (b.get(key) !== id) out.push(`operation ${key}: operationId ${id} in the official file, ${b.get(key)} in EdHub's`);
  }
  for (const key of b.keys()) if (!a.has(key)) out.push(`operation ${key}: only in EdHub's`);

  const sa = schemas(official);
  const sb = schemas(ours);
  for (const name of Object.keys(sa)) if (!sb[name]) out.push(`schema ${name}: only in the official file`);
  for (const name of Object.keys(sb)) if (!sa[name]) out.push(`schema ${name}: only in EdHub's`);
  for (const name of Object.keys(sa).filter((n) => sb[n])) {
    const [x, y] = [sa[name] as Json, sb[name] as Json];
    const [rx, ry] = [new Set((x.required as string[] | undefined) ?? []), new Set((y.required as string[] | undefined) ?? [])];
    const onlyOfficial = [...rx].filter((r) => !ry.has(r));
    const onlyOurs = [...ry].filter((r) => !rx.has(r));
    if (onlyOfficial.length > 0) out.push(`${name} required: official has ${onlyOfficial.join(', ')}, EdHub does not`);
    if (onlyOurs.length > 0) out.push(`${name} required: EdHub has ${onlyOurs.join(', ')}, the official file does not`);
    const [ex, ey] = [enums(x), enums(y)];
    for (const prop of new Set([...ex.keys(), ...ey.keys()])) {
      const [vx, vy] = [ex.get(prop) ?? new Set<string>(), ey.get(prop) ?? new Set<string>()];
      const missing = [...vx].filter((v) => !vy.has(v));
      const extra = [...vy].filter((v) => !vx.has(v));
      if (missing.length > 0) out.push(`${name}.${prop} enum: EdHub lacks ${missing.join(', ')}`);
      if (extra.length > 0) out.push(`${name}.${prop} enum: EdHub adds ${extra.join(', ')}`);
    }
  }
  return out;
}

/** `GET /users` → operationId. */
function operations(doc: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op === 'object' && op !== null && 'responses' in op) out.set(`${method.toUpperCase()} ${path}`, String((op as Json).operationId));
    }
  }
  return out;
}

function schemas(doc: Json): Record<string, Json> {
  return ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
}

/** Property name → every enumerated value it allows (directly, in anyOf/oneOf branches, in array items). */
function enums(schema: Json): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [prop, s] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const values = new Set<string>();
    const collect = (x: unknown) => {
      if (typeof x !== 'object' || x === null) return;
      const o = x as Json;
      if (Array.isArray(o.enum)) for (const v of o.enum) values.add(String(v));
      for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(o[k])) for (const b of o[k] as unknown[]) collect(b);
      if (o.items) collect(o.items);
    };
    collect(s);
    if (values.size > 0) out.set(prop, values);
  }
  return out;
}

process.exitCode = main();
