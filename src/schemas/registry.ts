import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemasDir } from '../paths.js';

// ajv-formats ships CommonJS with a default export object; under NodeNext the callable is `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type JsonSchema = Record<string, unknown> & { $id: string; title: string };

/** Every JSON Schema under schemas/api, keyed by $id. Loaded once per process: they are files of the release. */
export function loadApiSchemas(): JsonSchema[] {
  const dir = join(schemasDir, 'api');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as JsonSchema);
}

export function loadSchema(relativePath: string): JsonSchema {
  return JSON.parse(readFileSync(join(schemasDir, relativePath), 'utf8')) as JsonSchema;
}

export interface SchemaError {
  /** RFC 6901 JSON Pointer to the offending value (for a missing or unknown property: where it is or would be). */
  pointer: string;
  detail: string;
}

/**
 * Validators compiled from the schemas. `body` validators are strict (no coercion); `query`
 * validators coerce strings to the declared scalar types, because a query string has no types.
 */
export class SchemaRegistry {
  readonly schemas: JsonSchema[];
  private readonly strict: Ajv2020;
  private readonly coercing: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(schemas: JsonSchema[] = loadApiSchemas()) {
    this.schemas = schemas;
    this.strict = newAjv(false);
    this.coercing = newAjv(true);
    for (const s of schemas) {
      this.strict.addSchema(s);
      this.coercing.addSchema(s);
    }
  }

  byId(id: string): JsonSchema {
    const s = this.schemas.find((x) => x.$id === id);
    if (!s) throw new Error(`unknown schema ${id}`);
    return s;
  }

  /** Validates (and, for query schemas, coerces and fills defaults in place). */
  validate(id: string, value: unknown, mode: 'body' | 'query'): SchemaError[] {
    const key = `${mode}:${id}`;
    let fn = this.cache.get(key);
    if (!fn) {
      const ajv = mode === 'query' ? this.coercing : this.strict;
      fn = ajv.getSchema(id);
      if (!fn) throw new Error(`unknown schema ${id}`);
      this.cache.set(key, fn);
    }
    return fn(value) ? [] : toSchemaErrors(fn.errors ?? []);
  }
}

function newAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    useDefaults: coerce,
    coerceTypes: coerce,
    keywords: ['x-env', 'x-secret'],
  });
  addFormats(ajv);
  return ajv;
}

/** Turns ajv errors into pointer + human sentence, naming the property for required/unknown ones. */
export function toSchemaErrors(errors: ErrorObject[]): SchemaError[] {
  const out: SchemaError[] = [];
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        out.push({ pointer: `${e.instancePath}/${escapePointer(String(params.missingProperty))}`, detail: 'is required' });
        break;
      case 'additionalProperties':
        out.push({ pointer: `${e.instancePath}/${escapePointer(String(params.additionalProperty))}`, detail: 'is not an allowed property' });
        break;
      case 'enum':
        out.push({ pointer: e.instancePath, detail: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` });
        break;
      default:
        out.push({ pointer: e.instancePath, detail: e.message ?? `fails ${e.keyword}` });
    }
  }
  // ajv reports one failure per branch of a type union; one sentence per pointer is enough for a person.
  const seen = new Set<string>();
  return out.filter((x) => {
    const k = `${x.pointer}\u0000${x.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
