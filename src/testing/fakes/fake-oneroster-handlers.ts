import { type FakeResponse, FakeStatusError, unknownObject } from './fake-oneroster-http.js';
import { applyFields, applyFilter, applySort, type FieldRegistry, type Row, readPaging } from './fake-oneroster-query.js';
import type { CollectionRoute, Route } from './fake-oneroster-routes.js';

/** What the handlers may read and change; everything else stays in the provider. */
export interface HandlerContext {
  data: Map<string, Row[]>;
  fields: FieldRegistry;
  version: '1.1' | '1.2';
  now: () => Date;
  omitTotalCount: boolean;
  omitLinkHeader: boolean;
  relativeLinks: boolean;
  ignoreOffset: boolean;
  maxLimit: number;
}

export function handleRoute(ctx: HandlerContext, method: string, route: Route, url: URL, body: string): FakeResponse {
  switch (route.kind) {
    case 'collection': {
      if (method !== 'GET') return notAllowed('GET');
      const source = ctx.data.get(route.route.source) ?? [];
      return listing(ctx, url, route.route.key, visible(source, route.route), ctx.fields.of(route.route.source));
    }
    case 'nested': {
      if (method !== 'GET') return notAllowed('GET');
      const parents = visible(ctx.data.get(route.parent.source) ?? [], route.parent);
      if (!parents.some((p) => p.sourcedId === route.parentId)) {
        // Fact sheet §2.1 / §10.11: 1.2 answers 404 unknownobject; SDS's 1.1 tests expect 200 and [].
        if (ctx.version === '1.2') throw unknownObject(`${route.route.parent} ${route.parentId}`);
        return listing(ctx, url, route.route.key, [], ctx.fields.of(route.route.source));
      }
      return listing(ctx, url, route.route.key, route.route.rows(ctx.data, route.parentId), ctx.fields.of(route.route.source));
    }
    case 'object':
      if (method === 'GET') return single(ctx, url, route.route, route.id);
      if (!route.route.writable) return notAllowed('GET');
      if (method === 'PUT') return put(ctx, route.route, route.id, body);
      if (method === 'DELETE') return remove(ctx, route.route, route.id);
      return notAllowed('GET, PUT, DELETE');
    default: {
      const never: never = route;
      throw new Error(`unhandled route ${JSON.stringify(never)}`);
    }
  }
}

function visible(rows: Row[], route: CollectionRoute): Row[] {
  return route.where ? rows.filter(route.where) : rows;
}

/** A collection page: filter, sort, page, project; X-Total-Count and Link (fact sheet §3–§4). */
function listing(ctx: HandlerContext, url: URL, key: string, rows: Row[], known: Set<string>): FakeResponse {
  const params = url.searchParams;
  const selected = applySort(applyFilter(rows, params.get('filter'), known), params.get('sort'), params.get('orderBy'), known);
  const { limit, offset } = readPaging(params, ctx.maxLimit);
  const start = ctx.ignoreOffset ? 0 : offset;
  const page = applyFields(selected.slice(start, start + limit), params.get('fields'), known);
  const headers: Record<string, string> = {};
  if (!ctx.omitTotalCount) headers['x-total-count'] = String(selected.length);
  if (!ctx.omitLinkHeader) headers.link = linkHeader(url, limit, offset, selected.length, ctx.relativeLinks);
  return { status: 200, headers, body: { [key]: page } };
}

/**
 * `<…>; rel="next", <…>; rel="last", <…>; rel="first", <…>; rel="prev"` in the order the fact sheet
 * gives (§4). The other query parameters are re-serialised as a form (a space becomes `+`), as most
 * web frameworks do, so a consumer signing the next link meets `+` in the wild.
 */
function linkHeader(url: URL, limit: number, offset: number, total: number, relative: boolean): string {
  const at = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('limit', String(limit));
    u.searchParams.set('offset', String(o));
    return relative ? `${u.pathname}${u.search}` : u.href;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: string[] = [];
  if (offset + limit < total) links.push(`<${at(offset + limit)}>; rel="next"`);
  links.push(`<${at(last)}>; rel="last"`, `<${at(0)}>; rel="first"`);
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>; rel="prev"`);
  return links.join(', ');
}

function single(ctx: HandlerContext, url: URL, route: CollectionRoute, id: string): FakeResponse {
  const source = ctx.data.get(route.source) ?? [];
  const row = visible(source, route).find((r) => r.sourcedId === id);
  if (row === undefined) throw unknownObject(`${route.singular} ${id}`);
  const [projected] = applyFields([row], url.searchParams.get('fields'), ctx.fields.of(route.source));
  // SDS also wants X-Total-Count on single-object GETs (fact sheet §4).
  return { status: 200, headers: ctx.omitTotalCount ? {} : { 'x-total-count': '1' }, body: { [route.singular]: projected } };
}

/**
 * PUT = create or replace with the caller's sourcedId (fact sheet §2.2). 201 on create as the OAS
 * declares, 200 on replace (Google accepts either on an edit), no body either way.
 */
function put(ctx: HandlerContext, route: CollectionRoute, id: string, body: string): FakeResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new FakeStatusError(400, 'invaliddata', 'the body is not JSON');
  }
  const object = (parsed as Row | null)?.[route.singular];
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new FakeStatusError(422, 'invaliddata', `the body must be {"${route.singular}": {…}}`);
  }
  const record = object as Row;
  if (record.sourcedId !== undefined && record.sourcedId !== id) throw new FakeStatusError(422, 'invaliddata', 'sourcedId in the body differs from the path');
  const rows = ctx.data.get(route.source) ?? [];
  const stored = { ...record, sourcedId: id, dateLastModified: ctx.now().toISOString() };
  const index = rows.findIndex((r) => r.sourcedId === id);
  if (index >= 0) rows[index] = stored;
  else rows.push(stored);
  ctx.data.set(route.source, rows);
  ctx.fields.note(route.source, [stored]);
  return { status: index >= 0 ? 200 : 201 };
}

/** DELETE answers 204; the record vanishes from reads (Google checks that, fact sheet §9.1). */
function remove(ctx: HandlerContext, route: CollectionRoute, id: string): FakeResponse {
  const rows = ctx.data.get(route.source) ?? [];
  const index = rows.findIndex((r) => r.sourcedId === id);
  if (index < 0) throw unknownObject(`${route.singular} ${id}`);
  rows.splice(index, 1);
  return { status: 204 };
}

function notAllowed(allow: string): never {
  throw new FakeStatusError(405, 'unsupported', `method not allowed here; allowed: ${allow}`, { allow });
}
