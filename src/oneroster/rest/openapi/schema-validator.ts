import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Json } from './component-schemas.js';

// ajv-formats ships CommonJS with a default export object; under NodeNext the callable is `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** One way a value breaks a schema: where (RFC 6901 JSON Pointer) and which JSON Schema keyword. */
export interface SchemaViolation {
  pointer: string;
  keyword: string;
  message: string;
}

export interface OneRosterSchemaValidator {
  /** The component names the document defines. */
  names: string[];
  /** Validates against `components.schemas[name]`; [] when the value conforms. */
  validate(name: string, value: unknown): SchemaViolation[];
}

/**
 * ajv (draft-07, strict, every error) over a discovery document's component schemas. The schemas are
 * OpenAPI 3.0 Schema Objects that are also plain JSON Schema (component-schemas.ts), so they are used
 * as they are: only `#/components/schemas/X` references are pointed at `#/definitions/X`, and the
 * OpenAPI-only formats `int32` and `float` are registered as annotations.
 */
export function createSchemaValidator(document: Json): OneRosterSchemaValidator {
  const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addFormat('int32', true).addFormat('float', true);
  const id = 'urn:edhub:oneroster:openapi';
  ajv.addSchema({ $id: id, definitions: repoint(schemas) as Json });
  const compiled = new Map<string, ValidateFunction>();
  return {
    names: Object.keys(schemas),
    validate(name, value) {
      let fn = compiled.get(name);
      if (!fn) {
        if (!schemas[name]) throw new Error(`the document defines no schema ${name}`);
        fn = ajv.getSchema(`${id}#/definitions/${name}`);
        if (!fn) throw new Error(`cannot compile schema ${name}`);
        compiled.set(name, fn);
      }
      return fn(value) ? [] : violations(fn.errors ?? []);
    },
  };
}

function repoint(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repoint);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `#/definitions/`) : repoint(v)]),
  );
}

/**
 * ajv's errors as pointers to the offending value. An `anyOf` over an enumeration and an `ext:`
 * pattern reports all three keywords; only the anyOf is kept, as "not one of …".
 */
function violations(errors: ErrorObject[]): SchemaViolation[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword === 'anyOf' || !anyOfAt.has(e.instancePath))
    .map((e) => {
      const params = e.params as { missingProperty?: string; additionalProperty?: string };
      const child = params.missingProperty ?? params.additionalProperty;
      const pointer = child === undefined ? e.instancePath : `${e.instancePath}/${child.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const message = e.keyword === 'anyOf' ? 'must be one of the vocabulary or an ext: token' : (e.message ?? e.keyword);
      return { pointer: pointer || '/', keyword: e.keyword, message };
    });
}
