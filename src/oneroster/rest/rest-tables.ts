import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsDir } from '../../paths.js';
import { oneRosterScopes } from '../../tenancy/scopes.js';

/**
 * The OneRoster REST tables of standards/oneroster/ (rest-endpoints.json, rest-entities.json) as
 * typed values. The handlers are generic over these rows: adding an operation is a row, not code.
 */
export type RestVersion = '1.1' | '1.2';
export type Service = 'rostering' | 'gradebook' | 'resources';
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export type FieldKind =
  | 'text'
  | 'date'
  | 'datetime'
  | 'float'
  | 'bool'
  | 'list'
  | 'ref'
  | 'refList'
  | 'userIds'
  | 'scoreScaleValue'
  | 'children'
  | 'linkedResources'
  | 'roles'
  | 'userProfiles'
  | 'role11'
  | 'orgs11';

export interface FieldDef {
  name: string;
  kind: FieldKind;
  column?: string;
  refType?: string;
  required?: boolean;
  versions?: RestVersion[];
  filter?: boolean;
  link?: { file: string; column: string };
  /** The csv.json vocabulary the value is from (the OpenAPI schemas' enumerations). */
  vocabulary?: string;
}

export interface EntityDef {
  /** The key of the collection (`orgs`) and of the entity table. */
  name: string;
  file: string;
  single: string;
  refType: string;
  fields: FieldDef[];
}

export type Constraint =
  | { kind: 'columnEquals'; column: string; value?: string; param?: string }
  | { kind: 'listContains'; column: string; param: string }
  | { kind: 'enrolledIn'; param: string; role: string; schoolParam?: string }
  | { kind: 'classOfUser'; param: string; role?: string }
  | { kind: 'hasRole'; role: string; orgParam?: string }
  | { kind: 'termOfSchool'; param: string }
  | { kind: 'categoryOfClass'; param: string }
  | { kind: 'resultOfClass'; param: string }
  | { kind: 'linkedResource'; file: string; column: string; param: string };

export interface EndpointDef {
  service: Service;
  method: Method;
  path: string;
  /** The 1.2 OpenAPI files' operationId (getAllUsers, putResult…), used for 1.1 too. */
  operationId: string;
  entity: string;
  scopes: string;
  where?: Constraint[];
  versions?: RestVersion[];
  /** POST: columns set from path parameters on every created record. */
  sets?: Record<string, string>;
}

interface EndpointTable {
  bases: Record<RestVersion, Record<Service, string>>;
  codeMinors: Record<Service, string[]>;
  scopeGroups: Record<string, string[]>;
  params: Record<string, { entity: string; where?: Constraint[] }>;
  endpoints: EndpointDef[];
}

interface EntityTable {
  refPaths: Record<string, { service: Service; path: string }>;
  entities: Record<string, Omit<EntityDef, 'name'>>;
}

const endpointTable = JSON.parse(readFileSync(join(standardsDir, 'oneroster/rest-endpoints.json'), 'utf8')) as EndpointTable;
const entityTable = JSON.parse(readFileSync(join(standardsDir, 'oneroster/rest-entities.json'), 'utf8')) as EntityTable;

export const bases = endpointTable.bases;
export const refPaths = entityTable.refPaths;
export const pathParams = endpointTable.params;
/** The imsx codeMinor values a service may answer with (rest-endpoints.json `codeMinors`). */
export const codeMinors = endpointTable.codeMinors;

export function endpointsOf(version: RestVersion): EndpointDef[] {
  return endpointTable.endpoints.filter((e) => !e.versions || e.versions.includes(version));
}

const entityViews = new Map<string, EntityDef>();

/** The entity as a version sees it: only the fields that version defines (built once per pair). */
export function entityOf(name: string, version: RestVersion): EntityDef {
  const key = `${name}@${version}`;
  let view = entityViews.get(key);
  if (!view) {
    const e = entityTable.entities[name];
    if (!e) throw new Error(`no OneRoster REST entity ${name}`);
    view = { name, ...e, fields: e.fields.filter((f) => !f.versions || f.versions.includes(version)) };
    entityViews.set(key, view);
  }
  return view;
}

/** The stored file a GUIDRef type points into (`org` → orgs), from the entity table. */
export function fileOfRefType(refType: string): string | undefined {
  return Object.values(entityTable.entities).find((e) => e.refType === refType)?.file;
}

/** Full scope URIs that grant a scope group in a version (names the version lacks are dropped). */
export function scopesFor(group: string, version: RestVersion): string[] {
  const names = endpointTable.scopeGroups[group];
  if (!names) throw new Error(`no OneRoster scope group ${group}`);
  const v = oneRosterScopes(version);
  return names.filter((n) => v.names.includes(n)).map((n) => `${v.prefix}${n}`);
}
