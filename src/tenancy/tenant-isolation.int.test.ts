import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type TestApp, testApp } from '../testing/test-app.js';
import { createApiKey } from './api-keys.js';
import type { TenantId } from './ids.js';
import { AUDIT_READ, TENANT_ADMIN } from './scopes.js';

/**
 * One tenant's credentials must not read, list, change — or even detect — another tenant's objects.
 * Every probe is made with both kinds of credential (API key and OAuth access token), and every
 * answer about the other tenant must be indistinguishable from the answer about an id that does not exist.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: { tenantId: TenantId; credentials: Record<string, string> };
  let b: { tenantId: TenantId; clientId: string; clientSecret: string; keyId: string };

  before(async () => {
    t = await testApp();
    const ta = await t.tenantWithAdmin('District A');
    const clientA = await t.oauthClient(ta.tenantId, [TENANT_ADMIN, AUDIT_READ]);
    const tokenA = await t.http
      .post('/oauth/token')
      .auth(clientA.clientId, clientA.clientSecret)
      .type('form')
      .send('grant_type=client_credentials')
      .expect(200);
    a = { tenantId: ta.tenantId, credentials: { 'API key': ta.adminKey, 'OAuth access token': tokenA.body.access_token } };

    const tb = await t.tenantWithAdmin('District B');
    const clientB = await t.oauthClient(tb.tenantId, [AUDIT_READ]);
    const keyB = await createApiKey(t.database.db, t.ctx, tb.tenantId, { scopes: [AUDIT_READ] });
    b = { tenantId: tb.tenantId, ...clientB, keyId: keyB.id };
  });
  after(() => t.close());

  /** A 404 about B must equal the 404 about a random id once the ids themselves are blanked out. */
  function sameAsMissing(res: { status: number; body: Record<string, unknown> }, missing: { status: number; body: Record<string, unknown> }, ids: string[]) {
    const blank = (body: Record<string, unknown>, idList: string[]) => {
      let text = JSON.stringify({ ...body, requestId: undefined });
      for (const id of idList) text = text.split(id).join('<id>');
      return JSON.parse(text);
    };
    assert.equal(res.status, 404);
    assert.equal(missing.status, 404);
    assert.deepEqual(blank(res.body, ids), blank(missing.body, ids));
  }

  for (const kind of ['API key', 'OAuth access token']) {
    describe(`with tenant A's ${kind}`, () => {
      const cred = () => a.credentials[kind] as string;
      const as = (r: ReturnType<TestApp['http']['get']>) => r.auth(cred(), { type: 'bearer' });

      it("cannot read tenant B, and B's id answers exactly like an unknown id", async () => {
        const ghost = randomUUID();
        const res = await as(t.http.get(`/api/v1/tenants/${b.tenantId}`));
        const missing = await as(t.http.get(`/api/v1/tenants/${ghost}`));
        sameAsMissing(res, missing, [b.tenantId, ghost]);
      });

      it('lists only its own tenant', async () => {
        const res = await as(t.http.get('/api/v1/tenants')).expect(200);
        assert.deepEqual(
          res.body.items.map((x: { id: string }) => x.id),
          [a.tenantId],
        );
      });

      it("cannot list B's OAuth clients or API keys", async () => {
        for (const what of ['oauth-clients', 'api-keys']) {
          const ghost = randomUUID();
          sameAsMissing(await as(t.http.get(`/api/v1/tenants/${b.tenantId}/${what}`)), await as(t.http.get(`/api/v1/tenants/${ghost}/${what}`)), [
            b.tenantId,
            ghost,
          ]);
        }
      });

      it('cannot rename B, and B keeps its name', async () => {
        await as(t.http.patch(`/api/v1/tenants/${b.tenantId}`))
          .send({ name: 'pwned' })
          .expect(404);
        const row = await t.database.db.selectFrom('tenants').select('name').where('id', '=', b.tenantId).executeTakeFirstOrThrow();
        assert.equal(row.name, 'District B');
      });

      it('cannot create credentials in B', async () => {
        const before = await t.database.db.selectFrom('oauth_clients').select('client_id').where('tenant_id', '=', b.tenantId).execute();
        await as(t.http.post(`/api/v1/tenants/${b.tenantId}/oauth-clients`))
          .send({ scopes: [TENANT_ADMIN] })
          .expect(404);
        await as(t.http.post(`/api/v1/tenants/${b.tenantId}/api-keys`))
          .send({ scopes: [TENANT_ADMIN] })
          .expect(404);
        const after = await t.database.db.selectFrom('oauth_clients').select('client_id').where('tenant_id', '=', b.tenantId).execute();
        assert.equal(after.length, before.length);
        const keys = await t.database.db.selectFrom('api_keys').select('id').where('tenant_id', '=', b.tenantId).execute();
        assert.equal(keys.length, 2, 'B still has exactly its admin key and its audit key');
      });

      it("cannot revoke B's client or key — through B's path or by naming B's object under its own tenant", async () => {
        await as(t.http.delete(`/api/v1/tenants/${b.tenantId}/oauth-clients/${b.clientId}`)).expect(404);
        const viaOwn = await as(t.http.delete(`/api/v1/tenants/${a.tenantId}/oauth-clients/${b.clientId}`));
        const ghost = await as(t.http.delete(`/api/v1/tenants/${a.tenantId}/oauth-clients/ehc_${'x'.repeat(24)}`));
        sameAsMissing(viaOwn, ghost, [b.clientId, `ehc_${'x'.repeat(24)}`]);
        await as(t.http.delete(`/api/v1/tenants/${b.tenantId}/api-keys/${b.keyId}`)).expect(404);
        const keyViaOwn = await as(t.http.delete(`/api/v1/tenants/${a.tenantId}/api-keys/${b.keyId}`));
        const ghostKey = randomUUID();
        sameAsMissing(keyViaOwn, await as(t.http.delete(`/api/v1/tenants/${a.tenantId}/api-keys/${ghostKey}`)), [b.keyId, ghostKey]);

        // B's credentials are untouched and still work.
        await t.http.post('/oauth/token').auth(b.clientId, b.clientSecret).type('form').send('grant_type=client_credentials').expect(200);
        const key = await t.database.db.selectFrom('api_keys').select('revoked_at').where('id', '=', b.keyId).executeTakeFirstOrThrow();
        assert.equal(key.revoked_at, null);
      });

      it("cannot read B's audit events, by filter or by default", async () => {
        const ghost = randomUUID();
        sameAsMissing(await as(t.http.get(`/api/v1/audit?tenantId=${b.tenantId}`)), await as(t.http.get(`/api/v1/audit?tenantId=${ghost}`)), [
          b.tenantId,
          ghost,
        ]);
        const own = await as(t.http.get('/api/v1/audit?limit=200')).expect(200);
        assert.ok(own.body.items.length > 0);
        for (const e of own.body.items) assert.equal(e.tenantId, a.tenantId);
      });

      it('cannot reach platform-only operations', async () => {
        const res = await as(t.http.post('/api/v1/tenants')).send({ name: 'Mine now' }).expect(403);
        assert.equal(res.body.type, 'urn:edhub:problem:insufficient-scope');
      });
    });
  }

  it('a tenant credential without tenant.admin is refused (403) on its own tenant, and gets 404 on another', async () => {
    const { key } = await createApiKey(t.database.db, t.ctx, a.tenantId, { scopes: [AUDIT_READ] });
    const own = await t.http.get(`/api/v1/tenants/${a.tenantId}/api-keys`).auth(key, { type: 'bearer' }).expect(403);
    assert.match(own.body.detail, /platform\.admin, tenant\.admin/);
    await t.http.get(`/api/v1/tenants/${b.tenantId}/api-keys`).auth(key, { type: 'bearer' }).expect(404);
  });

  it('a platform administrator reaches every tenant', async () => {
    const key = await t.platformKey();
    const res = await t.http.get('/api/v1/tenants').auth(key, { type: 'bearer' }).expect(200);
    const ids = res.body.items.map((x: { id: string }) => x.id);
    assert.ok(ids.includes(a.tenantId) && ids.includes(b.tenantId));
    await t.http.get(`/api/v1/tenants/${b.tenantId}/oauth-clients`).auth(key, { type: 'bearer' }).expect(200);
  });
});
