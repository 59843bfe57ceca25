import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TenantId } from '../tenancy/ids.js';
import { AUDIT_READ, TENANT_ADMIN } from '../tenancy/scopes.js';
import { type TestApp, testApp } from '../testing/test-app.js';

describe('audit log', () => {
  let t: TestApp;
  let platformKey: string;
  let tenantId: TenantId;
  let adminKey: string;

  before(async () => {
    t = await testApp();
    platformKey = await t.platformKey();
  });
  after(() => t.close());

  const as = (key: string, r: ReturnType<TestApp['http']['get']>) => r.auth(key, { type: 'bearer' }).set('X-Request-Id', 'req-audit-1');

  it('records every configuration change and credential creation/revocation with actor, target, request id and source IP', async () => {
    const created = await as(platformKey, t.http.post('/api/v1/tenants')).send({ name: 'Audit District' }).expect(201);
    tenantId = created.body.id;
    const key = await as(platformKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [TENANT_ADMIN], name: 'ops' })
      .expect(201);
    adminKey = key.body.key;
    await as(adminKey, t.http.patch(`/api/v1/tenants/${tenantId}`))
      .send({ name: 'Audit District (renamed)' })
      .expect(200);
    const client = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/oauth-clients`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    await as(adminKey, t.http.delete(`/api/v1/tenants/${tenantId}/oauth-clients/${client.body.clientId}`)).expect(200);
    const second = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    await as(adminKey, t.http.delete(`/api/v1/tenants/${tenantId}/api-keys/${second.body.id}`)).expect(200);

    const res = await as(adminKey, t.http.get('/api/v1/audit')).expect(200);
    assert.deepEqual(
      res.body.items.map((e: { action: string }) => e.action),
      ['api_key.revoke', 'api_key.create', 'oauth_client.revoke', 'oauth_client.create', 'tenant.update', 'api_key.create', 'tenant.create'],
    );
    const [revoke] = res.body.items;
    assert.deepEqual(revoke.actor, { type: 'api_key', id: key.body.id });
    assert.deepEqual(revoke.target, { type: 'api_key', id: second.body.id });
    assert.equal(revoke.tenantId, tenantId);
    assert.equal(revoke.requestId, 'req-audit-1');
    assert.match(revoke.sourceIp, /127\.0\.0\.1/);
    assert.ok(Date.now() - Date.parse(revoke.occurredAt) < 60_000);
    const rename = res.body.items.find((e: { action: string }) => e.action === 'tenant.update');
    assert.deepEqual(rename.details, { name: { from: 'Audit District', to: 'Audit District (renamed)' } });
  });

  it('never records a secret in event details', async () => {
    const created = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/oauth-clients`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    const rows = await t.database.db.selectFrom('audit_events').select(sql<string>`details::text`.as('d')).execute();
    assert.equal(
      rows.some((r) => r.d.includes(created.body.clientSecret)),
      false,
    );
  });

  it('filters by action (exact or prefix), actor, target and time, and pages with a cursor without gaps or repeats', async () => {
    const prefix = await as(adminKey, t.http.get('/api/v1/audit?action=api_key.*')).expect(200);
    assert.ok(prefix.body.items.length >= 3);
    for (const e of prefix.body.items) assert.match(e.action, /^api_key\./);

    const exact = await as(adminKey, t.http.get('/api/v1/audit?action=tenant.update')).expect(200);
    assert.equal(exact.body.items.length, 1);

    const byActor = await as(platformKey, t.http.get(`/api/v1/audit?actorType=cli&tenantId=${tenantId}`)).expect(200);
    assert.equal(byActor.body.items.length, 0);

    const byTarget = await as(adminKey, t.http.get(`/api/v1/audit?targetType=tenant&targetId=${tenantId}`)).expect(200);
    assert.deepEqual(
      byTarget.body.items.map((e: { action: string }) => e.action),
      ['tenant.update', 'tenant.create'],
    );

    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = await as(adminKey, t.http.get(`/api/v1/audit?since=${encodeURIComponent(future)}`)).expect(200);
    assert.deepEqual(none.body, { items: [], nextCursor: null });

    const all = (await as(adminKey, t.http.get('/api/v1/audit?limit=200')).expect(200)).body.items.map((e: { id: string }) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(
        adminKey,
        t.http.get(`/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
      ).expect(200);
      paged.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, all);
  });

  it('rejects bad filters with a pointer to the parameter', async () => {
    const res = await as(adminKey, t.http.get('/api/v1/audit?since=yesterday&limit=0&bogus=1')).expect(400);
    assert.deepEqual(res.body.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/bogus', '/limit', '/since']);
    for (const e of res.body.errors) assert.equal(e.in, 'query');
    const cursor = await as(adminKey, t.http.get('/api/v1/audit?cursor=abc')).expect(400);
    assert.equal(cursor.body.errors[0].pointer, '/cursor');
  });

  it('lets an audit.read credential read its tenant, and refuses credentials without an audit scope', async () => {
    const reader = await as(adminKey, t.http.post(`/api/v1/tenants/${tenantId}/api-keys`))
      .send({ scopes: [AUDIT_READ] })
      .expect(201);
    await as(reader.body.key, t.http.get('/api/v1/audit')).expect(200);
    const c = await t.oauthClient(tenantId, ['https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly']);
    const token = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send('grant_type=client_credentials').expect(200);
    const refused = await as(token.body.access_token, t.http.get('/api/v1/audit')).expect(403);
    assert.equal(refused.body.type, 'urn:edhub:problem:insufficient-scope');
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE, even from the application', async () => {
    await assert.rejects(sql`UPDATE audit_events SET action = 'forged'`.execute(t.database.db), /append-only \(UPDATE refused\)/);
    await assert.rejects(sql`DELETE FROM audit_events`.execute(t.database.db), /append-only \(DELETE refused\)/);
    await assert.rejects(sql`TRUNCATE audit_events`.execute(t.database.db), /append-only \(TRUNCATE refused\)/);
    const count = await t.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.ok(Number(count.n) >= 8);
  });
});
