import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Principal } from '../../tenancy/principal.js';
import { compileFilter, type FilterExpr, parseFieldsParam, parseListQuery, QueryError } from '../filter/index.js';
import { assemble } from './assemble.js';
import { constraintSql } from './constraints.js';
import { entityFields } from './entity-fields.js';
import { pagingLinks } from './paging-links.js';
import { findRecord, listRecords, ReadCache } from './read-records.js';
import { toWritable } from './rest-body.js';
import { type EntityDef, entityOf, pathParams, scopesFor } from './rest-tables.js';
import { matchRoute, type Route } from './route-table.js';
import { OneRosterError } from './status-info.js';
import { deleteRecord, postRecords, putRecord } from './write-records.js';

/** A OneRoster request as the provider sees it: plain values, no Express (STYLE.md rule 8). */
export interface RestRequest {
  method: string;
  /** The URL path, starting /ims/oneroster/… */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  /** scheme://host[:port] of this server as the client reached it: hrefs and Link URLs use it. */
  origin: string;
  /** The bearer credential, or why there is none usable; checked before anything about the request. */
  auth: { ok: true; principal: Principal } | { ok: false; reason: string };
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface ProviderDeps {
  db: Kysely<Database>;
  now: () => Date;
  /** The largest page served (clients asking for more get this many and page on). */
  maxLimit: number;
  /** Remembered totals and page anchors; one per provider when not given. */
  cache?: ReadCache;
}

/**
 * The OneRoster 1.1 and 1.2 REST provider over the roster store. Each request runs the same steps:
 *   route → authenticate (401) → tenant (403) → scope (403) → operation,
 * and every operation is generic over the endpoint and entity tables in standards/oneroster/.
 */
export function createOneRosterProvider(options: ProviderDeps): (req: RestRequest) => Promise<RestResponse> {
  const deps = { ...options, cache: options.cache ?? new ReadCache() };
  return async (req) => {
    const match = matchRoute(req.method, req.path);
    if (match.kind === 'none') throw new OneRosterError('unknownobject', `there is no OneRoster endpoint at ${req.path.slice(0, 200)}`);
    if (match.kind === 'wrong-method') {
      throw new OneRosterError('unsupported', `${req.method} is not supported on ${req.path.slice(0, 200)}`, 405, { Allow: match.allowed.join(', ') });
    }
    const route = match.route;
    const principal = authenticated(req);
    const tenantId = principal.tenantId;
    if (tenantId === null) throw new OneRosterError('forbidden', 'OneRoster needs a credential of a tenant; platform credentials hold no roster');
    const scopes = scopesFor(route.endpoint.scopes, route.version);
    if (!scopes.some((s) => principal.scopes.has(s))) {
      throw new OneRosterError('forbidden', `this operation needs one of the scopes: ${scopes.join(' ')}`, 403, {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`,
      });
    }
    const entity = entityOf(route.endpoint.entity, route.version);
    const op = { deps, req, route, entity, tenantId };
    switch (route.endpoint.method) {
      case 'GET':
        return route.params.sourcedId === undefined ? getCollection(op) : getOne(op);
      case 'PUT':
        return put(op);
      case 'DELETE':
        return remove(op);
      case 'POST':
        return post(op);
      default: {
        const never: never = route.endpoint.method;
        throw new Error(`unknown method ${never}`);
      }
    }
  };
}

interface Operation {
  deps: ProviderDeps;
  req: RestRequest;
  route: Route;
  entity: EntityDef;
  tenantId: string;
}

function authenticated(req: RestRequest): Principal {
  if (req.auth.ok) return req.auth.principal;
  throw new OneRosterError('unauthorisedrequest', req.auth.reason, 401, { 'WWW-Authenticate': 'Bearer realm="edhub", error="invalid_token"' });
}

async function getCollection(op: Operation): Promise<RestResponse> {
  const { deps, req, route, entity, tenantId } = op;
  const fields = entityFields(entity);
  const query = asOneRoster(() => parseListQuery(req.query, { version: route.version, defaultLimit: 100, maxLimit: deps.maxLimit, ...fields }));
  const where = constraintsOf(route, tenantId);
  if (query.filter) where.push(asOneRoster(() => compileFilter(query.filter as FilterExpr, fields.resolve)));
  // 1.2: an unknown parent is 404 unknownobject (the OAS operation texts); 1.1: an empty list (SDS).
  if (!(await parentsExist(op))) {
    if (route.version === '1.2') throw new OneRosterError('unknownobject', `${describeParents(route)} does not exist`);
    return json(200, { [entity.name]: [] }, { 'X-Total-Count': '0' });
  }
  const { records, total } = await listRecords(
    deps.db,
    {
      tenantId,
      file: entity.file,
      where,
      includeDeleted: asksAboutChanges(query.filter),
      sort: query.sort === undefined ? undefined : fields.sortExpr(query.sort),
      orderBy: query.orderBy,
      limit: query.limit,
      offset: query.offset,
    },
    deps.cache,
  );
  const body = { [entity.name]: await assemble({ db: deps.db, tenantId, version: route.version, origin: req.origin }, entity, records, query.fields) };
  const link = pagingLinks(`${req.origin}${req.path}`, req.query, { limit: query.limit, offset: query.offset, total });
  return json(200, body, { 'X-Total-Count': String(total), ...(link && { Link: link }) });
}

async function getOne(op: Operation): Promise<RestResponse> {
  const { deps, req, route, entity, tenantId } = op;
  const fields = entityFields(entity);
  const selected = asOneRoster(() => parseFieldsParam(req.query.fields, fields.selectable));
  const id = route.params.sourcedId as string;
  const record = await findRecord(deps.db, { tenantId, file: entity.file, sourcedId: id, where: constraintsOf(route, tenantId) });
  if (!record) throw new OneRosterError('unknownobject', `${entity.single} ${JSON.stringify(id)} does not exist`);
  const [one] = await assemble({ db: deps.db, tenantId, version: route.version, origin: req.origin }, entity, [record], selected);
  // SDS requires X-Total-Count on single-object GETs too (fact sheet §4).
  return json(200, { [entity.single]: one }, { 'X-Total-Count': '1' });
}

async function put(op: Operation): Promise<RestResponse> {
  const { deps, req, route, entity, tenantId } = op;
  const id = route.params.sourcedId as string;
  const inner = wrapped(req.body, entity.single);
  const supplied = (inner as { sourcedId?: unknown } | null)?.sourcedId;
  if (typeof supplied === 'string' && supplied !== id) {
    throw new OneRosterError('invaliddata', `/${entity.single}/sourcedId ${JSON.stringify(supplied)} differs from the sourcedId in the path`);
  }
  const record = toWritable(entity, inner, `/${entity.single}`);
  await putRecord(deps.db, { tenantId, file: entity.file, sourcedId: id, record, now: deps.now() });
  const stored = await findRecord(deps.db, { tenantId, file: entity.file, sourcedId: id, where: [] });
  const [one] = await assemble({ db: deps.db, tenantId, version: route.version, origin: req.origin }, entity, stored ? [stored] : []);
  return json(201, { [entity.single]: one });
}

async function remove(op: Operation): Promise<RestResponse> {
  const { deps, route, entity, tenantId } = op;
  const id = route.params.sourcedId as string;
  if (!(await deleteRecord(deps.db, { tenantId, file: entity.file, sourcedId: id, now: deps.now() }))) {
    throw new OneRosterError('unknownobject', `${entity.single} ${JSON.stringify(id)} does not exist`);
  }
  return { status: 204, headers: {} };
}

async function post(op: Operation): Promise<RestResponse> {
  const { deps, req, route, entity, tenantId } = op;
  if (!(await parentsExist(op))) throw new OneRosterError('unknownobject', `${describeParents(route)} does not exist`);
  const list = wrapped(req.body, entity.name);
  if (!Array.isArray(list) || list.length === 0) throw new OneRosterError('invaliddata', `/${entity.name} must be a non-empty array`);
  if (list.length > 1000) throw new OneRosterError('invaliddata', `/${entity.name} may hold at most 1000 records per request`);
  // The path names the parent: it wins over (and may stand in for) each body's reference.
  const given = Object.fromEntries(Object.entries(route.endpoint.sets ?? {}).map(([column, param]) => [column, route.params[param] as string]));
  const records = list.map((item, i) => {
    const record = toWritable(entity, item, `/${entity.name}/${i}`, given);
    const supplied = (item as { sourcedId?: unknown }).sourcedId;
    return { supplied: typeof supplied === 'string' ? supplied : '', record };
  });
  const pairs = await postRecords(deps.db, { tenantId, file: entity.file, records, now: deps.now() });
  return json(201, { sourcedIdPairs: pairs });
}

/** `{"category": {…}}` → the inner value; anything else is 422 with the pointer that is wrong. */
function wrapped(body: unknown, key: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OneRosterError('invaliddata', '/ the body must be a JSON object');
  const inner = (body as Record<string, unknown>)[key];
  if (inner === undefined) throw new OneRosterError('invaliddata', `/${key} is required`);
  return inner;
}

function constraintsOf(route: Route, tenantId: string): RawBuilder<boolean>[] {
  return (route.endpoint.where ?? []).map((c) => constraintSql(c, route.params, tenantId));
}

/** Whether every parent a nested path names exists (and is of the right kind: a school, a term). */
async function parentsExist(op: Operation): Promise<boolean> {
  for (const [param, value] of Object.entries(op.route.params)) {
    if (param === 'sourcedId') continue;
    const parent = pathParams[param];
    if (!parent) continue;
    const entity = entityOf(parent.entity, op.route.version);
    const where = (parent.where ?? []).map((c) => constraintSql(c, op.route.params, op.tenantId));
    if (!(await findRecord(op.deps.db, { tenantId: op.tenantId, file: entity.file, sourcedId: value, where }))) return false;
  }
  return true;
}

function describeParents(route: Route): string {
  return Object.entries(route.params)
    .map(([k, v]) => `${k.replace(/SourcedId$/, '')} ${JSON.stringify(v)}`)
    .join(' / ');
}

/**
 * Deleted records are kept (status tobedeleted) for clients that ask what changed: a filter on
 * dateLastModified or status. Every other read shows active records only, so a deleted result
 * disappears from lineItems/{id}/results at once (issue #4, item 6).
 */
function asksAboutChanges(filter: FilterExpr | undefined): boolean {
  if (!filter) return false;
  if (filter.kind === 'clause') return filter.field === 'dateLastModified' || filter.field === 'status';
  return asksAboutChanges(filter.left) || asksAboutChanges(filter.right);
}

function asOneRoster<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof QueryError) throw new OneRosterError(err.codeMinor, err.message, 400);
    throw err;
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): RestResponse {
  return { status, headers, body };
}
