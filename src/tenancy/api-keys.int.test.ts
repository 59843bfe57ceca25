import assert from 'node:assert/strict';
import { dumpAllTables, leakForms } from '../testing/database-dump.js';
import { type TestApp, testApp } from '../testing/test-app.js';
import type { TenantId } from './ids.js';
import { AUDIT_READ, TENANT_ADMIN } from './scopes.js';

describe('API keys', () => {
  let t: TestApp;
  let tenantId: TenantId;
  let adminKey: string;

  before(async () => {
    t = await testApp();
    ({ tenantId, adminKey } = await t.tenantWithAdmin('Keys District'));
  });
  after(() => t.close());

  const as = (key: string, r: ReturnType<TestApp['http']['get']>) => r.auth(key, { type: 'bearer' });

  it('shows a new key once; lists it masked; stores only its hash', async () => {
    const created = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [AUDIT_READ], name: 'reporting' })
      .expect(201);
    assert.match(created.body.key, /^ehk_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.equal(created.body.maskedKey, `${created.body.key.slice(0, 12)}…`);

    const list = await as(adminKey, t.http.get(`/api/v1/tenants/${tenantId}/api-keys`)).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'id', 'lastUsedAt', 'maskedKey', 'name', 'revokedAt', 'scopes', 'tenantId']);
    assert.equal(JSON.stringify(list.body).includes(created.body.key), false);

    const dump = await dumpAllTables(t.database.db);
    for (const form of leakForms(created.body.key)) assert.equal(dump.includes(form), false);
    const client = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/oauth-clients`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    const dump2 = await dumpAllTables(t.database.db);
    for (const form of leakForms(client.body.clientSecret)) assert.equal(dump2.includes(form), false);
    for (const line of t.logs) {
      assert.equal(line.includes(created.body.key), false);
      assert.equal(line.includes(client.body.clientSecret), false);
      assert.equal(line.includes(adminKey), false);
    }
  });

  it('authenticates by Authorization: Bearer or X-API-Key and records when it was last used', async () => {
    const created = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    const before = await t.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    assert.equal(before.last_used_at, null);
    await t.http.get('/api/v1/me').set('X-API-Key', created.body.key).expect(200);
    const after = await t.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    assert.ok(after.last_used_at instanceof Date);
    const me = await as(created.body.key, t.http.get('/api/v1/me')).expect(200);
    assert.deepEqual(me.body, { credential: { type: 'api_key', id: created.body.id }, tenantId, scopes: [AUDIT_READ] });
  });

  it('stops working the moment it is revoked, with a 401 that says so', async () => {
    const created = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    const revoked = await as(adminKey, t.http.delete(`/api/v1/tenants/${tenantId}/api-keys/${created.body.id}`)).expect(200);
    assert.ok(revoked.body.revokedAt);
    const res = await as(created.body.key, t.http.get('/api/v1/me')).expect(401);
    assert.equal(res.body.detail, 'the api key has been revoked');
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  });

  it('refuses unknown scopes and platform scopes on tenant credentials, pointing at each entry', async () => {
    const res = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [TENANT_ADMIN, 'root', 'platform.admin'] })
      .expect(400);
    assert.deepEqual(res.body.errors, [
      { in: 'body', pointer: '/scopes/1', detail: 'unknown scope "root"' },
      { in: 'body', pointer: '/scopes/2', detail: 'platform.admin is a platform-level scope and cannot be held by a tenant credential' },
    ]);
    const clients = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/oauth-clients`))
      .send({ scopes: ['platform.admin'] })
      .expect(400);
    assert.equal(clients.body.errors[0].pointer, '/scopes/0');
  });

  it('answers missing, malformed and unknown credentials with distinct 401s', async () => {
    const none = await t.http.get('/api/v1/me').expect(401);
    assert.equal(none.body.type, 'urn:edhub:problem:unauthenticated');
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="edhub"');
    const basic = await t.http.get('/api/v1/me').set('Authorization', 'Basic Zm9vOmJhcg==').expect(401);
    assert.equal(basic.body.detail, 'the Authorization header must use the Bearer scheme');
    const junk = await as('not-a-key', t.http.get('/api/v1/me')).expect(401);
    assert.equal(junk.body.detail, 'the bearer credential is not an EdHub API key (ehk_…) or access token (eha_…)');
    const unknown = await as(`ehk_${'Z'.repeat(43)}`, t.http.get('/api/v1/me')).expect(401);
    assert.equal(unknown.body.detail, 'the api key is not one this server issued');
  });

  it('authenticates before validating: an unauthenticated bad query still gets 401', async () => {
    await t.http.get('/api/v1/audit?limit=banana').expect(401);
  });
});
