import assert from 'node:assert/strict';
import { endpointsOf, type RestVersion, type Service } from '../rest-tables.js';
import { OneRosterError } from '../status-info.js';
import type { Json } from './component-schemas.js';
import { discoveryResponse } from './discovery.js';
import { discoveryDocumentFor, discoveryDocuments } from './documents.js';
import { createSchemaValidator } from './schema-validator.js';

type Operation = Json & { operationId?: string; responses?: Record<string, Json>; parameters?: Json[]; security?: Record<string, string[]>[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function operationsOf(doc: Json): Array<{ path: string; method: string; op: Operation }> {
  return Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** Resolves a local JSON Pointer reference (`#/components/...`) in the document; undefined when it points nowhere. */
function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Json)[key] : undefined), doc);
}

function allRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allRefs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : allRefs(v)));
}

describe('OneRoster discovery documents (OpenAPI 3.0)', () => {
  for (const d of discoveryDocuments()) {
    describe(d.file, () => {
      const doc = d.document;

      it('is an OpenAPI 3.0 document with info, a relative server for its base, paths and components', () => {
        assert.match(String(doc.openapi), /^3\.0\.\d$/);
        const info = doc.info as Json;
        assert.equal(typeof info.title, 'string');
        assert.equal(info.version, d.version);
        assert.deepEqual(doc.servers, [{ url: d.base, description: 'Relative to the host this document was fetched from.' }]);
        assert.ok(Object.keys(doc.paths as Json).every((p) => p.startsWith('/')));
      });

      it('resolves every $ref inside the document', () => {
        const refs = [...new Set(allRefs(doc))];
        assert.ok(refs.length > 10);
        assert.deepEqual(
          refs.filter((r) => resolve(doc, r) === undefined),
          [],
        );
      });

      it('gives every operation a unique operationId, responses, a success response and declared path parameters', () => {
        const ids = new Set<string>();
        for (const { path, method, op } of operationsOf(doc)) {
          const where = `${method.toUpperCase()} ${path}`;
          assert.equal(typeof op.operationId, 'string', where);
          assert.ok(!ids.has(op.operationId as string), `${where}: duplicate operationId ${op.operationId}`);
          ids.add(op.operationId as string);
          const codes = Object.keys(op.responses ?? {});
          assert.ok(
            codes.some((c) => /^2\d\d$/.test(c)),
            `${where} has no 2xx response`,
          );
          assert.ok(codes.includes('401') && codes.includes('500') && codes.includes('default'), `${where}: ${codes.join(',')}`);
          const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
          const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
          assert.deepEqual(declared, inPath, where);
          for (const p of op.parameters ?? []) assert.ok(p.in !== 'path' || p.required === true, `${where}: path parameter ${String(p.name)} must be required`);
        }
      });

      it('declares X-Total-Count and Link on every collection read and the query parameters of §3', () => {
        for (const { path, method, op } of operationsOf(doc)) {
          if (method !== 'get' || path.endsWith('{sourcedId}')) continue;
          const ok = op.responses?.['200'] as Json;
          assert.deepEqual(Object.keys(ok.headers as Json), ['X-Total-Count', 'Link'], path);
          assert.deepEqual(
            (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
            ['limit', 'offset', 'sort', 'orderBy', 'filter', 'fields'],
            path,
          );
        }
      });

      it('secures every operation with OAuth2CC scopes the scheme defines', () => {
        const schemes = (doc.components as Json).securitySchemes as Record<string, Json>;
        const flowScopes = Object.keys((((schemes.OAuth2CC as Json).flows as Json).clientCredentials as Json).scopes as Json);
        assert.equal(schemes.OAuth1 !== undefined, d.version === '1.1', 'OAuth 1.0a is declared on 1.1 only');
        for (const { path, op } of operationsOf(doc)) {
          const oauth2 = op.security?.[0]?.OAuth2CC;
          assert.ok(oauth2 && oauth2.length > 0, path);
          for (const s of oauth2) assert.ok(flowScopes.includes(s), `${path}: scope ${s} is not in the flow`);
          for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) assert.ok(schemes[name], `${path}: no scheme ${name}`);
        }
      });

      it('compiles every component schema with ajv in strict mode', () => {
        const v = createSchemaValidator(doc);
        for (const name of v.names) assert.ok(Array.isArray(v.validate(name, {})));
      });
    });
  }

  it('has as many operations per service as the endpoint tables: 41 + 35 + 5 on 1.2, 61 in the one 1.1 document', () => {
    const count = (version: RestVersion, service: Service) => operationsOf(discoveryDocumentFor(version, service).document).length;
    assert.deepEqual([count('1.2', 'rostering'), count('1.2', 'gradebook'), count('1.2', 'resources')], [41, 35, 5]);
    assert.equal(count('1.1', 'rostering'), endpointsOf('1.1').length);
    assert.equal(endpointsOf('1.1').length, 61);
    const ids = (v: RestVersion, s: Service) => new Set(operationsOf(discoveryDocumentFor(v, s).document).map((o) => o.op.operationId));
    for (const e of endpointsOf('1.2')) assert.ok(ids('1.2', e.service).has(e.operationId), e.operationId);
  });

  it('describes the REST JSON shape: required fields, string booleans, GUIDRef types, vocabularies with ext: tokens', () => {
    const v = createSchemaValidator(discoveryDocumentFor('1.2', 'rostering').document);
    const org = { href: 'https://h/ims/oneroster/rostering/v1p2/orgs/s1', sourcedId: 's1', type: 'org' };
    const user = {
      sourcedId: 'u1',
      status: 'active',
      dateLastModified: '2026-01-10T08:00:00.000Z',
      enabledUser: 'true',
      givenName: 'Ada',
      familyName: 'Lovelace',
      roles: [{ roleType: 'primary', role: 'ext:mentor', org }],
    };
    assert.deepEqual(v.validate('SingleUserDType', { user }), []);
    const broken = { ...user, enabledUser: true, roles: [{ roleType: 'primary', role: 'wizard', org: { ...org, type: 'user' } }], shoeSize: 9 };
    assert.deepEqual(
      v.validate('SingleUserDType', { user: broken }).map((e) => [e.pointer, e.keyword]),
      [
        ['/user/shoeSize', 'additionalProperties'],
        ['/user/enabledUser', 'type'],
        ['/user/enabledUser', 'enum'],
        ['/user/roles/0/role', 'anyOf'],
        ['/user/roles/0/org/type', 'enum'],
      ],
    );
    assert.deepEqual(
      v.validate('SingleUserDType', { user: { ...user, roles: [] } }).map((e) => [e.pointer, e.keyword]),
      [['/user/roles', 'minItems']],
    );
    assert.deepEqual(
      v.validate('UserSetDType', { users: [{ ...user, dateLastModified: 'yesterday' }] }).map((e) => [e.pointer, e.keyword]),
      [['/users/0/dateLastModified', 'format']],
    );
  });
});

describe('OneRoster discovery responses', () => {
  const at = (path: string, extra: Partial<Parameters<typeof discoveryResponse>[0]> = {}) =>
    discoveryResponse({ method: 'GET', path, origin: 'https://edhub.example', ifNoneMatch: undefined, ...extra });

  it('serves a document under its file name and its conformance-guide alias, with a strong ETag', () => {
    const a = at('/ims/oneroster/rostering/v1p2/discovery/onerosterv1p2rostersservice_openapi3_v1p0.json');
    const b = at('/ims/oneroster/rostering/v1p2/discovery/imsorv1p2_rostering_openapi3_v1p0.json');
    assert.equal(a?.status, 200);
    assert.equal(a?.body, b?.body);
    assert.match(a?.headers.ETag ?? '', /^"[A-Za-z0-9_-]{32}"$/);
    assert.equal(a?.headers['Content-Type'], 'application/json; charset=utf-8');
    assert.equal(JSON.parse(a?.body ?? '{}').info.title, 'EdHub OneRoster 1.2 Rostering service');
  });

  it('answers 304 to a matching If-None-Match, and lists the documents of a base', () => {
    const path = '/ims/oneroster/v1p1/discovery/onerosterv1p1service_openapi3_v1p0.json';
    const etag = at(path)?.headers.ETag;
    assert.equal(at(path, { ifNoneMatch: `"other", W/${etag}` })?.status, 304);
    assert.equal(at(path, { ifNoneMatch: `"other"` })?.status, 200);
    const list = JSON.parse(at('/ims/oneroster/gradebook/v1p2/discovery')?.body ?? '{}');
    assert.deepEqual(list.documents, [
      {
        version: '1.2',
        services: ['gradebook'],
        file: 'onerosterv1p2gradebookservice_openapi3_v1p0.json',
        aliases: ['imsorv1p2_gradebook_openapi3_v1p0.json'],
        href: 'https://edhub.example/ims/oneroster/gradebook/v1p2/discovery/onerosterv1p2gradebookservice_openapi3_v1p0.json',
        title: 'EdHub OneRoster 1.2 Gradebook service',
      },
    ]);
  });

  it('refuses an unknown file with 404 unknownobject, and leaves other paths and methods to the provider', () => {
    for (const file of ['nope.json', '..%2F..%2Fpackage.json', 'onerosterv1p1service_openapi3_v1p0.json']) {
      assert.throws(
        () => at(`/ims/oneroster/rostering/v1p2/discovery/${file}`),
        (e: unknown) => e instanceof OneRosterError && e.status === 404 && e.codeMinor === 'unknownobject',
      );
    }
    assert.equal(at('/ims/oneroster/rostering/v1p2/discovery/a/b'), undefined);
    assert.equal(at('/ims/oneroster/rostering/v1p2/users'), undefined);
    assert.equal(at('/ims/oneroster/v1p3/discovery'), undefined);
    assert.equal(at('/ims/oneroster/rostering/v1p2/discovery', { method: 'POST' }), undefined);
  });
});
