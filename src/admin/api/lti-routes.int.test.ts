import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TenantId } from '../../tenancy/ids.js';
import { type TestApp, testApp } from '../../testing/test-app.js';

const platformBody = (n: number) => ({
  name: `LMS ${n}`,
  issuer: 'https://canvas.instructure.com',
  clientId: `10000000000${n}`,
  authUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
  deployments: [`deployment-${n}-a`, `deployment-${n}-b`],
});

/** /api/v1/lti: registrations, deployments, invitations and keys; audited; tenant isolation as for every other route. */
describe('LTI admin API (/api/v1/lti/…)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let a: { tenantId: TenantId; adminKey: string };
  let b: { tenantId: TenantId; adminKey: string };
  let platformKey: string;

  before(async () => {
    t = await testApp();
    a = await t.tenantWithAdmin('District A');
    b = await t.tenantWithAdmin('District B');
    platformKey = await t.platformKey();
  });
  after(() => t.close());

  const as = (key: string) => ({
    get: (p: string) => t.http.get(p).auth(key, { type: 'bearer' }),
    post: (p: string, body: unknown) =>
      t.http
        .post(p)
        .auth(key, { type: 'bearer' })
        .send(body as object),
    patch: (p: string, body: unknown) =>
      t.http
        .patch(p)
        .auth(key, { type: 'bearer' })
        .send(body as object),
    delete: (p: string) => t.http.delete(p).auth(key, { type: 'bearer' }),
  });

  describe('platform registrations and deployments (CRUD, audited)', () => {
    let id: string;

    it('creates a registration keyed by (issuer, client_id) with its deployments', async () => {
      const res = await as(a.adminKey).post('/api/v1/lti/platforms', platformBody(1)).expect(201);
      id = res.body.id;
      assert.equal(res.headers.location, `/api/v1/lti/platforms/${id}`);
      assert.deepEqual(
        { ...res.body, id: undefined, createdAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          tenantId: a.tenantId,
          name: 'LMS 1',
          issuer: 'https://canvas.instructure.com',
          clientId: '100000000001',
          authUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
          tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
          tokenAudience: null,
          jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
          autoRegisterDeployments: false,
          registeredVia: 'manual',
          deploymentCount: 2,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
    });

    it('keeps several client_ids under one issuer (Canvas Cloud), but refuses the same pair twice — from any tenant, with the same answer', async () => {
      await as(a.adminKey).post('/api/v1/lti/platforms', platformBody(2)).expect(201);
      const again = await as(a.adminKey).post('/api/v1/lti/platforms', platformBody(1)).expect(409);
      const fromB = await as(b.adminKey).post('/api/v1/lti/platforms', platformBody(1)).expect(409);
      assert.equal(again.body.detail, fromB.body.detail);
      assert.doesNotMatch(fromB.body.detail, new RegExp(a.tenantId));
    });

    it('validates bodies against their schemas', async () => {
      const res = await as(a.adminKey)
        .post('/api/v1/lti/platforms', { ...platformBody(3), issuer: 'not a url', jwksUrl: undefined })
        .expect(400);
      const pointers = [...new Set(res.body.errors.map((e: { pointer: string }) => e.pointer))].sort();
      assert.deepEqual(pointers, ['/issuer', '/jwksUrl']);
      await as(a.adminKey).patch(`/api/v1/lti/platforms/${id}`, { issuer: 'https://other.example' }).expect(400);
    });

    it('reads, lists, updates and manages deployments', async () => {
      assert.equal((await as(a.adminKey).get(`/api/v1/lti/platforms/${id}`).expect(200)).body.clientId, '100000000001');
      const list = await as(a.adminKey).get('/api/v1/lti/platforms?limit=1').expect(200);
      assert.equal(list.body.items.length, 1);
      assert.ok(list.body.nextCursor);
      const page2 = await as(a.adminKey).get(`/api/v1/lti/platforms?limit=1&cursor=${list.body.nextCursor}`).expect(200);
      assert.equal(page2.body.items[0].clientId, '100000000002');

      const patched = await as(a.adminKey)
        .patch(`/api/v1/lti/platforms/${id}`, { tokenAudience: 'https://canvas.instructure.com/login/oauth2/token', autoRegisterDeployments: true })
        .expect(200);
      assert.equal(patched.body.tokenAudience, 'https://canvas.instructure.com/login/oauth2/token');
      assert.equal(patched.body.autoRegisterDeployments, true);

      const dep = await as(a.adminKey).post(`/api/v1/lti/platforms/${id}/deployments`, { deploymentId: 'course/42' }).expect(201);
      assert.deepEqual([dep.body.deploymentId, dep.body.source], ['course/42', 'manual']);
      await as(a.adminKey).post(`/api/v1/lti/platforms/${id}/deployments`, { deploymentId: 'course/42' }).expect(409);
      const deps = await as(a.adminKey).get(`/api/v1/lti/platforms/${id}/deployments`).expect(200);
      assert.deepEqual(deps.body.items.map((d: { deploymentId: string }) => d.deploymentId).sort(), ['course/42', 'deployment-1-a', 'deployment-1-b']);
      await as(a.adminKey)
        .delete(`/api/v1/lti/platforms/${id}/deployments/${encodeURIComponent('course/42')}`)
        .expect(200);
      await as(a.adminKey)
        .delete(`/api/v1/lti/platforms/${id}/deployments/${encodeURIComponent('course/42')}`)
        .expect(404);
    });

    it('audits every change', async () => {
      const audit = await as(a.adminKey).get('/api/v1/audit?action=lti.*&limit=100').expect(200);
      const actions = audit.body.items.map((e: { action: string }) => e.action).sort();
      assert.deepEqual(actions, ['lti.deployment.create', 'lti.deployment.delete', 'lti.platform.create', 'lti.platform.create', 'lti.platform.update']);
      const update = audit.body.items.find((e: { action: string }) => e.action === 'lti.platform.update');
      assert.deepEqual(update.details.autoRegisterDeployments, { from: false, to: true });
    });

    it('removes a registration with its deployments', async () => {
      const removed = await as(a.adminKey).delete(`/api/v1/lti/platforms/${id}`).expect(200);
      assert.equal(removed.body.id, id);
      await as(a.adminKey).get(`/api/v1/lti/platforms/${id}`).expect(404);
      const left = await t.database.db.selectFrom('lti_deployments').select('deployment_id').where('platform_id', '=', id).execute();
      assert.equal(left.length, 0);
    });
  });

  describe('tenant isolation', () => {
    let aPlatform: string;
    let aInvitation: string;
    before(async () => {
      aPlatform = (await as(a.adminKey).post('/api/v1/lti/platforms', platformBody(7)).expect(201)).body.id;
      aInvitation = (await as(a.adminKey).post('/api/v1/lti/registration-invitations', {}).expect(201)).body.id;
    });

    /** B's answer about A's object equals its answer about an id that does not exist, ids blanked. */
    async function sameAsMissing(req: (id: string) => Promise<{ status: number; body: Record<string, unknown> }>, realId: string) {
      const ghost = randomUUID();
      const real = await req(realId);
      const missing = await req(ghost);
      const blank = (body: Record<string, unknown>, id: string) =>
        JSON.parse(
          JSON.stringify({ ...body, requestId: undefined })
            .split(id)
            .join('<id>'),
        );
      assert.equal(real.status, 404);
      assert.equal(missing.status, 404);
      assert.deepEqual(blank(real.body, realId), blank(missing.body, ghost));
    }

    it("B cannot read, change, remove or add deployments to A's registration, and cannot tell it exists", async () => {
      const B = as(b.adminKey);
      await sameAsMissing((id) => B.get(`/api/v1/lti/platforms/${id}`), aPlatform);
      await sameAsMissing((id) => B.patch(`/api/v1/lti/platforms/${id}`, { name: 'pwned' }), aPlatform);
      await sameAsMissing((id) => B.get(`/api/v1/lti/platforms/${id}/deployments`), aPlatform);
      await sameAsMissing((id) => B.post(`/api/v1/lti/platforms/${id}/deployments`, { deploymentId: 'evil' }), aPlatform);
      await sameAsMissing((id) => B.delete(`/api/v1/lti/platforms/${id}/deployments/deployment-7-a`), aPlatform);
      await sameAsMissing((id) => B.delete(`/api/v1/lti/platforms/${id}`), aPlatform);
      const row = await t.database.db.selectFrom('lti_platforms').selectAll().where('id', '=', aPlatform).executeTakeFirstOrThrow();
      assert.equal(row.name, 'LMS 7');
      const deps = await t.database.db.selectFrom('lti_deployments').select('deployment_id').where('platform_id', '=', aPlatform).execute();
      assert.equal(deps.length, 2);
    });

    it("B lists only its own registrations and invitations, cannot name A's tenant, and cannot revoke A's invitation", async () => {
      const B = as(b.adminKey);
      assert.deepEqual((await B.get('/api/v1/lti/platforms').expect(200)).body.items, []);
      assert.deepEqual((await B.get('/api/v1/lti/registration-invitations').expect(200)).body.items, []);
      await B.get(`/api/v1/lti/platforms?tenantId=${a.tenantId}`).expect(404);
      await B.post(`/api/v1/lti/platforms?tenantId=${a.tenantId}`, platformBody(8)).expect(404);
      await sameAsMissing((id) => B.delete(`/api/v1/lti/registration-invitations/${id}`), aInvitation);
      const inv = await t.database.db.selectFrom('lti_registration_invitations').select('revoked_at').where('id', '=', aInvitation).executeTakeFirstOrThrow();
      assert.equal(inv.revoked_at, null);
    });

    it('a platform administrator names the tenant for lists and creation, and reaches any registration by id', async () => {
      const P = as(platformKey);
      const missing = await P.get('/api/v1/lti/platforms').expect(400);
      assert.equal(missing.body.errors[0].pointer, '/tenantId');
      const list = await P.get(`/api/v1/lti/platforms?tenantId=${a.tenantId}`).expect(200);
      assert.ok(list.body.items.some((p: { id: string }) => p.id === aPlatform));
      await P.get(`/api/v1/lti/platforms/${aPlatform}`).expect(200);
      const created = await P.post(`/api/v1/lti/platforms?tenantId=${b.tenantId}`, platformBody(9)).expect(201);
      assert.equal(created.body.tenantId, b.tenantId);
    });

    it("the tool's keys are the installation's: platform administrators only", async () => {
      const denied = await as(a.adminKey).get('/api/v1/lti/keys').expect(403);
      assert.equal(denied.body.type, 'urn:edhub:problem:insufficient-scope');
      await as(a.adminKey).post('/api/v1/lti/keys/rotate', {}).expect(403);
      const keys = await as(platformKey).get('/api/v1/lti/keys').expect(200);
      assert.equal(keys.body.items.length, 1);
      assert.equal(keys.body.items[0].state, 'current');
      const rotated = await as(platformKey).post('/api/v1/lti/keys/rotate', { immediate: true }).expect(200);
      assert.equal(rotated.body.previousKid, keys.body.items[0].kid);
    });
  });

  it('every LTI route is in the OpenAPI document', async () => {
    const doc = await t.http.get('/openapi.json').expect(200);
    for (const path of [
      '/api/v1/lti/platforms',
      '/api/v1/lti/platforms/{platformId}/deployments/{deploymentId}',
      '/api/v1/lti/registration-invitations',
      '/api/v1/lti/keys/rotate',
    ]) {
      assert.ok(doc.body.paths[path], path);
    }
  });
});
