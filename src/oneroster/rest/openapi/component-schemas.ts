import { FORMATS, VOCABULARIES } from '../../csv/spec.js';
import { type EntityDef, endpointsOf, entityOf, type FieldDef, type RestVersion } from '../rest-tables.js';
import {
  CODE_MINOR,
  CODE_MINOR_FIELD,
  entitySchemaName,
  GUID_PAIR,
  GUID_PAIR_SET,
  METADATA,
  ref,
  refSchemaName,
  STATUS_INFO,
  setSchemaName,
  singleSchemaName,
} from './schema-names.js';

export type Json = Record<string, unknown>;

/**
 * The `components.schemas` of a discovery document: every entity of the version in its REST JSON
 * shape (fact sheet §7), built from the entity table — the same rows assemble.ts renders and
 * rest-body.ts reads — so the documents describe what the provider does, not a copy of the official
 * files. Only the schemas reachable from `roots` are returned (a Gradebook document holds no UserDType).
 *
 * Choices (scripts/check-oneroster-openapi.ts lists where they make us differ from the official files):
 * - OpenAPI 3.0 Schema Objects that are also plain JSON Schema (no `nullable`, no `discriminator`), so
 *   ajv validates responses against them as they are (schema-validator.ts);
 * - an extensible vocabulary is `anyOf` its values or an `ext:` token (csv.json `formats.extension`);
 * - `profileId` and a role's `userProfile` are `uri-reference`, not `uri`: EdHub fills them from the
 *   CSV userProfiles sourcedId, which is an opaque id rather than an absolute URI;
 * - collection envelopes (`UserSetDType`) do not require their key, as in the official files; the
 *   conformance suite checks the key itself.
 */
export function componentSchemas(version: RestVersion, codeMinors: readonly string[], roots: readonly string[]): Record<string, Json> {
  const all = catalogue(version, codeMinors);
  const out: Record<string, Json> = {};
  const visit = (name: string) => {
    if (out[name]) return;
    const schema = all.get(name);
    if (!schema) throw new Error(`no OneRoster ${version} schema ${name}`);
    out[name] = schema;
    for (const target of refsIn(schema)) visit(target);
  };
  for (const name of roots) visit(name);
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k] as Json]),
  );
}

/** Every `#/components/schemas/…` name a value refers to. */
export function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? [v.slice('#/components/schemas/'.length)] : refsIn(v),
  );
}

/** The entities a version serves (those its endpoints name). */
export function entitiesOf(version: RestVersion): EntityDef[] {
  return [...new Set(endpointsOf(version).map((e) => e.entity))].map((name) => entityOf(name, version));
}

function catalogue(version: RestVersion, codeMinors: readonly string[]): Map<string, Json> {
  const schemas = new Map<string, Json>();
  const refTypes = new Set<string>(['resource']);
  for (const e of entitiesOf(version)) {
    schemas.set(entitySchemaName(e), entitySchema(e));
    schemas.set(setSchemaName(e), object({ [e.name]: { type: 'array', items: ref(entitySchemaName(e)) } }, []));
    schemas.set(singleSchemaName(e), object({ [e.single]: ref(entitySchemaName(e)) }, [e.single]));
    for (const f of e.fields) if (f.refType) refTypes.add(f.refType);
  }
  for (const t of refTypes) schemas.set(refSchemaName(t), guidRef(t));
  schemas.set(METADATA, { description: 'Proprietary extensions (fact sheet §7.1).', type: 'object', additionalProperties: true });
  schemas.set(
    'RoleDType',
    object(
      {
        roleType: vocabulary('roleType'),
        role: vocabulary('role12'),
        org: ref(refSchemaName('org')),
        userProfile: { type: 'string', format: 'uri-reference' },
        beginDate: { type: 'string', format: 'date' },
        endDate: { type: 'string', format: 'date' },
      },
      ['roleType', 'role', 'org'],
    ),
  );
  schemas.set(
    'UserProfileDType',
    object(
      {
        profileId: { type: 'string', format: 'uri-reference' },
        profileType: { type: 'string' },
        vendorId: { type: 'string' },
        applicationId: { type: 'string' },
        description: { type: 'string' },
        credentials: { type: 'array', items: ref('CredentialDType') },
      },
      ['profileId', 'profileType', 'vendorId'],
    ),
  );
  schemas.set('CredentialDType', object({ type: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } }, ['type', 'username'], true));
  schemas.set('UserIdDType', object({ type: { type: 'string' }, identifier: { type: 'string' } }, ['type', 'identifier']));
  schemas.set('ScoreScaleValueDType', object({ itemValueLHS: { type: 'string' }, itemValueRHS: { type: 'string' } }, ['itemValueLHS', 'itemValueRHS']));
  schemas.set(
    GUID_PAIR,
    object({ suppliedSourcedId: { type: 'string' }, allocatedSourcedId: { type: 'string' } }, ['suppliedSourcedId', 'allocatedSourcedId']),
  );
  schemas.set(GUID_PAIR_SET, object({ sourcedIdPairs: { type: 'array', items: ref(GUID_PAIR) } }, []));
  schemas.set(
    STATUS_INFO,
    object(
      {
        imsx_codeMajor: { type: 'string', enum: ['success', 'processing', 'failure', 'unsupported'] },
        imsx_severity: { type: 'string', enum: ['status', 'warning', 'error'] },
        imsx_description: { type: 'string' },
        imsx_CodeMinor: ref(CODE_MINOR),
      },
      ['imsx_codeMajor', 'imsx_severity'],
    ),
  );
  schemas.set(CODE_MINOR, object({ imsx_codeMinorField: { type: 'array', minItems: 1, items: ref(CODE_MINOR_FIELD) } }, ['imsx_codeMinorField']));
  schemas.set(
    CODE_MINOR_FIELD,
    object({ imsx_codeMinorFieldName: { type: 'string' }, imsx_codeMinorFieldValue: { type: 'string', enum: [...codeMinors] } }, [
      'imsx_codeMinorFieldName',
      'imsx_codeMinorFieldValue',
    ]),
  );
  return schemas;
}

/** The base fields every entity has (fact sheet §7.1), then the entity table's fields in order. */
function entitySchema(e: EntityDef): Json {
  const properties: Json = {
    sourcedId: { type: 'string' },
    status: vocabulary('status'),
    dateLastModified: { type: 'string', format: 'date-time' },
    metadata: ref(METADATA),
  };
  const required = ['sourcedId', 'status', 'dateLastModified'];
  for (const f of e.fields) {
    properties[f.name] = fieldSchema(f);
    if (f.required) required.push(f.name);
  }
  return object(properties, required);
}

function fieldSchema(f: FieldDef): Json {
  const many = (items: Json) => ({ type: 'array', items, ...(f.required ? { minItems: 1 } : {}) });
  const refTo = () => ref(refSchemaName(f.refType ?? ''));
  switch (f.kind) {
    case 'text':
      return f.vocabulary ? vocabulary(f.vocabulary) : { type: 'string' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'float':
      return { type: 'number', format: 'float' };
    case 'bool':
      return { type: 'string', enum: ['true', 'false'] };
    case 'list':
      return many(f.vocabulary ? vocabulary(f.vocabulary) : { type: 'string' });
    case 'ref':
      return refTo();
    case 'refList':
    case 'children':
      return many(refTo());
    case 'linkedResources':
      return many(ref(refSchemaName('resource')));
    case 'userIds':
      return many(ref('UserIdDType'));
    case 'scoreScaleValue':
      return many(ref('ScoreScaleValueDType'));
    case 'roles':
      return many(ref('RoleDType'));
    case 'userProfiles':
      return many(ref('UserProfileDType'));
    case 'role11':
      return vocabulary('role11');
    case 'orgs11':
      return many(ref(refSchemaName('org')));
    default: {
      const never: never = f.kind;
      throw new Error(`unknown field kind ${never}`);
    }
  }
}

/** A GUIDRef (fact sheet §7.2): href, sourcedId and the fixed type. */
function guidRef(type: string): Json {
  return object({ href: { type: 'string', format: 'uri' }, sourcedId: { type: 'string' }, type: { type: 'string', enum: [type] } }, [
    'href',
    'sourcedId',
    'type',
  ]);
}

/** A csv.json vocabulary as an enumeration; extensible ones also take `ext:` tokens (fact sheet §7). */
function vocabulary(name: string): Json {
  const v = VOCABULARIES.get(name);
  if (!v) throw new Error(`no OneRoster vocabulary ${name}`);
  const values: Json = { type: 'string', enum: [...v.values] };
  return v.extensible ? { anyOf: [values, { type: 'string', pattern: FORMATS.extension.source }] } : values;
}

function object(properties: Json, required: string[], additionalProperties = false): Json {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties };
}
