import assert from 'node:assert/strict';
import { apiRoutes } from '../admin/api/index.js';
import { type TestApp, testApp } from '../testing/test-app.js';

describe('HTTP shell', () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    t = await testApp({ bodyLimitBytes: 4096 });
    key = await t.platformKey();
  });
  after(() => t.close());

  describe('operator endpoints', () => {
    it('/healthz answers ok', async () => {
      const res = await t.http.get('/healthz').expect(200);
      assert.deepEqual(res.body, { status: 'ok' });
    });

    it('/readyz checks the database and the migrations', async () => {
      const res = await t.http.get('/readyz').expect(200);
      assert.equal(res.body.status, 'ready');
      assert.equal(res.body.checks.migrations, 'ok');
      assert.match(res.body.checks.database, /^ok \((pglite|postgres)\)$/);
    });

    it('/metrics serves Prometheus text with request counts by route template', async () => {
      await t.http.get('/api/v1/me').auth(key, { type: 'bearer' }).expect(200);
      const res = await t.http.get('/metrics').expect(200);
      assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
      assert.match(res.text, /edhub_http_requests_total\{method="GET",route="\/api\/v1\/me",status="200"\} [1-9]/);
      assert.match(res.text, /edhub_process_cpu_user_seconds_total/);
    });

    it('/openapi.json describes every /api/v1 route and /oauth/token, with every $ref resolvable', async () => {
      const res = await t.http.get('/openapi.json').expect(200);
      const doc = res.body;
      assert.equal(doc.openapi, '3.1.0');
      for (const r of apiRoutes) assert.ok(doc.paths[r.path]?.[r.method], `${r.method} ${r.path} missing`);
      assert.ok(doc.paths['/oauth/token'].post);
      const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
      assert.ok(refs.length > 10);
      for (const ref of refs) assert.ok(doc.components.schemas[ref.slice('"#/components/schemas/'.length, -1)], `${ref} does not resolve`);
      assert.equal(doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl, `${t.config.baseUrl}/oauth/token`);
      const create = doc.paths['/api/v1/tenants'].post;
      assert.equal(create.requestBody.content['application/json'].schema.$ref, '#/components/schemas/TenantCreate');
      assert.deepEqual(doc.components.schemas.TenantCreate.required, ['name']);
    });
  });

  describe('cross-cutting behaviour', () => {
    it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
      const kept = await t.http.get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
      assert.equal(kept.headers['x-request-id'], 'abc-123');
      const replaced = await t.http.get('/healthz').set('X-Request-Id', 'a b\tc<script>').expect(200);
      assert.match(replaced.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    });

    it('sends security headers and no X-Powered-By', async () => {
      const res = await t.http.get('/healthz').expect(200);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.headers['content-security-policy']);
      assert.ok(res.headers['strict-transport-security']);
      assert.equal(res.headers['x-powered-by'], undefined);
    });

    it('answers unknown paths with a 404 problem and wrong methods with 405 and Allow', async () => {
      const missing = await t.http.get('/nope').expect(404);
      assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(missing.body.type, 'urn:edhub:problem:not-found');
      assert.ok(missing.body.requestId);
      const wrong = await t.http.put('/api/v1/tenants').expect(405);
      assert.equal(wrong.headers.allow, 'GET, POST');
      const token = await t.http.get('/oauth/token').expect(405);
      assert.equal(token.headers.allow, 'POST');
    });
  });

  describe('bad input', () => {
    const post = (path: string) => t.http.post(path).auth(key, { type: 'bearer' });

    it('malformed JSON → 400 malformed-request naming the parse error', async () => {
      const res = await post('/api/v1/tenants').set('Content-Type', 'application/json').send('{"name": "x",}').expect(400);
      assert.equal(res.body.type, 'urn:edhub:problem:malformed-request');
      assert.match(res.body.detail, /^the body is not valid JSON: /);
    });

    it('a non-JSON content type → 415 naming the type', async () => {
      const res = await post('/api/v1/tenants').set('Content-Type', 'text/plain').send('name=x').expect(415);
      assert.equal(res.body.detail, 'the body must be application/json, not text/plain');
      const none = await post('/api/v1/tenants').expect(415);
      assert.match(none.body.detail, /no Content-Type/);
    });

    it('an oversized body → 413, and nothing is created', async () => {
      const before = await t.database.db.selectFrom('tenants').select('id').execute();
      const res = await post('/api/v1/tenants')
        .send({ name: 'x'.repeat(5000) })
        .expect(413);
      assert.equal(res.body.detail, 'the body exceeds the limit of 4096 bytes');
      assert.equal((await t.database.db.selectFrom('tenants').select('id').execute()).length, before.length);
    });

    it('unknown fields, wrong types and missing fields → 400 with a JSON pointer for each', async () => {
      const res = await post('/api/v1/tenants')
        .send({ nmae: 'x', extra: { a: 1 } })
        .expect(400);
      assert.deepEqual(
        res.body.errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
        [
          ['/name', 'is required'],
          ['/nmae', 'is not an allowed property'],
          ['/extra', 'is not an allowed property'],
        ],
      );
      const typed = await post(`/api/v1/tenants/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/api-keys`)
        .send({ scopes: ['tenant.admin', 7] })
        .expect(400);
      assert.deepEqual(typed.body.errors, [{ in: 'body', pointer: '/scopes/1', detail: 'must be string' }]);
      const root = await post('/api/v1/tenants').send([1, 2]).expect(400);
      assert.deepEqual(root.body.errors, [{ in: 'body', pointer: '', detail: 'must be object' }]);
    });

    it('a blank tenant name is refused', async () => {
      const res = await post('/api/v1/tenants').send({ name: '   ' }).expect(400);
      assert.equal(res.body.errors[0].pointer, '/name');
    });

    it('a repeated query parameter → 400 naming it', async () => {
      const res = await t.http.get('/api/v1/tenants?limit=1&limit=2').auth(key, { type: 'bearer' }).expect(400);
      assert.deepEqual(res.body.errors, [{ in: 'query', pointer: '/limit', detail: 'must be given once, as a single value' }]);
    });

    it('a forged page cursor → 400 at /cursor, never a database error', async () => {
      const forged = Buffer.from(JSON.stringify(['2020-01-01T00:00:00Z', "x' OR 1=1"])).toString('base64url');
      const res = await t.http.get(`/api/v1/tenants?cursor=${forged}`).auth(key, { type: 'bearer' }).expect(400);
      assert.equal(res.body.errors[0].pointer, '/cursor');
    });

    it('a malformed tenant id in a path → 404, not 500', async () => {
      const res = await t.http.get("/api/v1/tenants/1' OR '1'='1").auth(key, { type: 'bearer' }).expect(404);
      assert.equal(res.body.type, 'urn:edhub:problem:not-found');
    });

    it('pages tenants with cursors, never skipping or repeating', async () => {
      for (let i = 0; i < 5; i++)
        await post('/api/v1/tenants')
          .send({ name: `Paged ${i}` })
          .expect(201);
      const all = (await t.http.get('/api/v1/tenants?limit=200').auth(key, { type: 'bearer' }).expect(200)).body.items.map((x: { id: string }) => x.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
          .get(`/api/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .auth(key, { type: 'bearer' })
          .expect(200);
        seen.push(...r.body.items.map((x) => x.id));
        cursor = r.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, all);
      assert.ok(all.length >= 5);
    });
  });
});

describe('HTTP shell when the database is gone', () => {
  it('answers 500 with a bare problem (no message, no stack) and /readyz says not ready', async () => {
    const t = await testApp();
    const key = await t.platformKey();
    await t.database.close();
    const res = await t.http.get('/api/v1/me').auth(key, { type: 'bearer' }).expect(500);
    assert.deepEqual(Object.keys(res.body).sort(), ['detail', 'instance', 'requestId', 'status', 'title', 'type']);
    assert.equal(res.body.detail, 'the server failed to complete the request; quote the requestId when reporting it');
    assert.equal(/at .*\.ts:\d+/.test(res.text), false);
    const ready = await t.http.get('/readyz').expect(503);
    assert.equal(ready.body.status, 'not_ready');
    assert.ok(t.logs.some((l) => l.includes('"unhandled error"') && l.includes(res.body.requestId)));
  });
});
