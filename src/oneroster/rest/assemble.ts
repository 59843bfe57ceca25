import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { role11 } from '../roles-11.js';
import { recordsWhereIn, type StoredRecord } from './read-records.js';
import { bases, type EntityDef, type FieldDef, fileOfRefType, type RestVersion, refPaths } from './rest-tables.js';

/** A GUIDRef (fact sheet §7.2). */
export interface GuidRef {
  href: string;
  sourcedId: string;
  type: string;
}

export interface AssembleContext {
  db: Kysely<Database>;
  tenantId: string;
  version: RestVersion;
  /** scheme://host[:port] that hrefs are made absolute with. */
  origin: string;
}

/**
 * Turns stored records (OneRoster 1.2 CSV columns) into the REST JSON of an entity, driven by the
 * entity table. Fields assembled from other files (roles, profiles, children, resources) are loaded
 * for the whole page at once — one query per related file, never one per record.
 */
export async function assemble(ctx: AssembleContext, entity: EntityDef, records: StoredRecord[], selected?: string[]): Promise<Record<string, unknown>[]> {
  const want = (name: string) => !selected || selected.includes(name);
  const related = await loadRelated(
    ctx,
    entity.fields.filter((f) => want(f.name)),
    records,
  );
  return records.map((rec) => {
    const out: Record<string, unknown> = {};
    if (want('sourcedId')) out.sourcedId = rec.sourcedId;
    if (want('status')) out.status = rec.status;
    if (want('dateLastModified')) out.dateLastModified = rec.dateLastModified.toISOString();
    if (want('metadata') && rec.metadata && Object.keys(rec.metadata).length > 0) out.metadata = rec.metadata;
    for (const f of entity.fields) {
      if (!want(f.name)) continue;
      const v = render(ctx, f, rec, related.get(f.name)?.get(rec.sourcedId) ?? []);
      if (v !== undefined) out[f.name] = v;
    }
    return out;
  });
}

export function guidRef(ctx: Pick<AssembleContext, 'origin' | 'version'>, type: string, sourcedId: string): GuidRef {
  const target = refPaths[type];
  const href = target
    ? `${ctx.origin}${bases[ctx.version][target.service]}${target.path}/${encodeURIComponent(sourcedId)}`
    : `urn:oneroster:${type}:${sourcedId}`;
  return { href, sourcedId, type };
}

function render(ctx: AssembleContext, f: FieldDef, rec: StoredRecord, related: StoredRecord[]): unknown {
  const v = f.column ? rec.fields[f.column] : undefined;
  const ref = (id: string) => guidRef(ctx, f.refType ?? '', id);
  switch (f.kind) {
    case 'text':
    case 'date':
    case 'bool':
      return v;
    case 'datetime':
      return v === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v;
    case 'float':
      return v === undefined ? undefined : Number(v);
    case 'list':
      return v === undefined ? undefined : v.split(',');
    case 'ref':
      return v === undefined ? undefined : ref(v);
    case 'refList':
      return v === undefined ? undefined : v.split(',').map(ref);
    case 'userIds':
      return v === undefined ? undefined : pairs(v).map(([type, identifier]) => ({ type, identifier }));
    case 'scoreScaleValue':
      return v === undefined ? undefined : pairs(v).map(([itemValueLHS, itemValueRHS]) => ({ itemValueLHS, itemValueRHS }));
    case 'children':
      return related.length === 0 ? undefined : related.map((r) => ref(r.sourcedId));
    case 'linkedResources':
      return related.length === 0 ? undefined : related.map((r) => guidRef(ctx, 'resource', r.fields.resourceSourcedId ?? ''));
    case 'roles':
      return primaryFirst(related).map((r) => ({
        roleType: r.fields.roleType,
        role: r.fields.role,
        org: guidRef(ctx, 'org', r.fields.orgSourcedId ?? ''),
        ...(r.fields.userProfileSourcedId !== undefined && { userProfile: r.fields.userProfileSourcedId }),
        ...(r.fields.beginDate !== undefined && { beginDate: r.fields.beginDate }),
        ...(r.fields.endDate !== undefined && { endDate: r.fields.endDate }),
      }));
    case 'userProfiles':
      return related.length === 0 ? undefined : related.map(userProfile);
    case 'role11': {
      const first = primaryFirst(related)[0];
      return first ? role11(first.fields.role ?? '') : undefined;
    }
    case 'orgs11':
      return primaryFirst(related).map((r) => guidRef(ctx, 'org', r.fields.orgSourcedId ?? ''));
    default: {
      const never: never = f.kind;
      throw new Error(`unknown field kind ${never}`);
    }
  }
}

/** Where a related field's records come from: a file and the column naming the owning record. */
function relatedSource(f: FieldDef): { file: string; column: string } | undefined {
  switch (f.kind) {
    case 'children':
      return { file: fileOfRefType(f.refType ?? '') ?? '', column: f.column ?? 'parentSourcedId' };
    case 'linkedResources':
      return f.link;
    case 'roles':
    case 'role11':
    case 'orgs11':
      return { file: 'roles', column: 'userSourcedId' };
    case 'userProfiles':
      return { file: 'userProfiles', column: 'userSourcedId' };
    default:
      return undefined;
  }
}

/**
 * Related records per field, keyed by the sourcedId of the record they belong to: one query per
 * distinct source (roles feed `roles`, `role` and `orgs` alike), all of them run concurrently.
 */
async function loadRelated(ctx: AssembleContext, fields: FieldDef[], records: StoredRecord[]): Promise<Map<string, Map<string, StoredRecord[]>>> {
  const ids = records.map((r) => r.sourcedId);
  const loads = new Map<string, Promise<Map<string, StoredRecord[]>>>();
  const out = new Map<string, Map<string, StoredRecord[]>>();
  await Promise.all(
    fields.map(async (f) => {
      const source = relatedSource(f);
      if (!source) return;
      const key = `${source.file}.${source.column}`;
      let load = loads.get(key);
      if (!load) {
        load = recordsWhereIn(ctx.db, ctx.tenantId, source.file, source.column, ids).then((rows) => groupBy(rows, source.column));
        loads.set(key, load);
      }
      out.set(f.name, await load);
    }),
  );
  return out;
}

function groupBy(rows: StoredRecord[], column: string): Map<string, StoredRecord[]> {
  const m = new Map<string, StoredRecord[]>();
  for (const r of rows) {
    const k = r.fields[column] ?? '';
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function primaryFirst(roles: StoredRecord[]): StoredRecord[] {
  return [...roles].sort((a, b) => Number(b.fields.roleType === 'primary') - Number(a.fields.roleType === 'primary'));
}

function userProfile(p: StoredRecord): Record<string, unknown> {
  const f = p.fields;
  return {
    profileId: p.sourcedId,
    profileType: f.profileType,
    vendorId: f.vendorId,
    ...(f.applicationId !== undefined && { applicationId: f.applicationId }),
    ...(f.description !== undefined && { description: f.description }),
    credentials:
      f.credentialType === undefined ? [] : [{ type: f.credentialType, username: f.username, ...(f.password !== undefined && { password: f.password }) }],
  };
}

/** `{a:b},{c:d}` → [[a, b], [c, d]] (the CSV's userIds and scoreScaleValue forms; split at the first colon). */
function pairs(value: string): [string, string][] {
  return (value.match(/\{[^{}]*\}/g) ?? []).map((item) => {
    const body = item.slice(1, -1);
    const colon = body.indexOf(':');
    return [body.slice(0, colon), body.slice(colon + 1)];
  });
}
