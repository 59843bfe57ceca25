import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { ltiLaunch, ltiLogin, startTestPlatform, type TestPlatform } from '../../testing/lti-test-platform.js';
import { type TestApp, testApp } from '../../testing/test-app.js';

const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

function failureCode(text: string): string | undefined {
  return /id="lti-error-code">([a-z-]+)</.exec(text)?.[1];
}

/** LTI Dynamic Registration 1.0 against a loopback fake platform (DR §3; fact sheet §10). */
describe('LTI Dynamic Registration (GET|POST /lti/register/{invitation token})', function () {
  this.timeout(60_000);
  let t: TestApp;
  let platform: TestPlatform;
  let tenantId: TenantId;
  let adminKey: string;

  before(async () => {
    t = await testApp({ outboundAllow: ['127.0.0.0/8'] });
    ({ tenantId, adminKey } = await t.tenantWithAdmin('Shelbyville SD'));
    platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
  });
  after(async () => {
    await platform.close();
    await t.close();
  });

  let lastInvitationId = '';
  async function invite(): Promise<string> {
    const res = await t.http.post('/api/v1/lti/registration-invitations').auth(adminKey, { type: 'bearer' }).send({ name: 'Canvas test' }).expect(201);
    assert.match(res.body.url, /^http:\/\/localhost:8080\/lti\/register\/ehr_[A-Za-z0-9_-]{43}$/);
    lastInvitationId = res.body.id;
    return new URL(res.body.url).pathname;
  }
  const initiation = { openid_configuration: '', registration_token: 'platform-registration-token-1' };

  it('happy path: fetches the configuration with the registration token, asks for confirmation, registers, stores client_id and deployment, and closes', async () => {
    const path = await invite();
    initiation.openid_configuration = platform.openidConfigurationUrl;
    const confirm = await t.http.get(path).query(initiation).expect(200);
    assert.equal(platform.configurationRequests.at(-1)?.headers.authorization, 'Bearer platform-registration-token-1');
    assert.match(confirm.text, /Register EdHub with edhub-test-lms/);
    assert.match(confirm.text, /Shelbyville SD/);
    assert.match(confirm.text, new RegExp(`<form method="post" action="http://localhost:8080${path}">`));
    assert.equal(platform.registrationRequests.length, 0, 'nothing is registered before the confirmation');

    const done = await t.http.post(path).type('form').set('Origin', 'http://localhost:8080').send(initiation).expect(200);
    assert.match(done.text, /EdHub is registered/);
    assert.match(done.text, /"subject":"org\.imsglobal\.lti\.close"/);
    assert.match(done.text, /\(window\.opener\|\|window\.parent\)\.postMessage\(\{subject:D\.subject\},'\*'\)/);

    const sent = platform.registrationRequests[0];
    assert.ok(sent);
    assert.equal(sent.headers.authorization, 'Bearer platform-registration-token-1');
    assert.match(String(sent.headers['content-type']), /^application\/json/);
    const body = sent.body;
    assert.equal(body.application_type, 'web');
    assert.deepEqual(body.response_types, ['id_token']);
    assert.deepEqual(body.grant_types, ['implicit', 'client_credentials']);
    assert.equal(body.initiate_login_uri, 'http://localhost:8080/lti/login');
    assert.deepEqual(body.redirect_uris, ['http://localhost:8080/lti/launch']);
    assert.equal(body.jwks_uri, 'http://localhost:8080/.well-known/jwks.json');
    assert.equal(body.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(body.client_name, 'EdHub (Shelbyville SD)');
    assert.equal(body.scope, 'https://purl.imsglobal.org/spec/lti-ags/scope/score', 'only scopes the platform advertises');
    const toolConfig = body[TOOL_CONFIG] as Record<string, unknown>;
    assert.equal(toolConfig.domain, 'localhost:8080');
    assert.equal(toolConfig.target_link_uri, 'http://localhost:8080/lti/launch');
    assert.deepEqual(toolConfig.claims, ['iss', 'sub', 'name', 'email'], 'only claims the platform advertises');
    assert.deepEqual(
      (toolConfig.messages as { type: string }[]).map((m) => m.type),
      ['LtiResourceLinkRequest'],
    );

    const row = await t.database.db.selectFrom('lti_platforms').selectAll().where('client_id', '=', 'dr-client-1').executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.tenant_id, row.issuer, row.auth_url, row.token_url, row.jwks_url, row.registered_via],
      [tenantId, platform.issuer, platform.authUrl, platform.tokenUrl, platform.jwksUrl, 'dynamic'],
    );
    const deployments = await t.database.db.selectFrom('lti_deployments').selectAll().where('platform_id', '=', row.id).execute();
    assert.deepEqual(
      deployments.map((d) => [d.deployment_id, d.source]),
      [['dr-deployment-1', 'dynamic']],
    );
    const actions = (await t.database.db.selectFrom('audit_events').select(['action', 'actor_type']).where('tenant_id', '=', tenantId).execute()).map(
      (a) => `${a.action}/${a.actor_type}`,
    );
    assert.ok(actions.includes('lti.platform.create/system') && actions.includes('lti.registration_invitation.use/system'), actions.join());

    // The platform registered this way launches straight away.
    const dr = { ...platform, clientId: 'dr-client-1', deploymentId: 'dr-deployment-1' } as TestPlatform;
    const login = await ltiLogin(t.http, dr);
    const token = await platform.idToken({
      nonce: login.nonce,
      claims: { aud: 'dr-client-1', 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dr-deployment-1' },
    });
    const landed = await ltiLaunch(t.http, { id_token: token, state: login.state }, login.cookie);
    assert.equal(landed.status, 200, landed.text.slice(0, 300));

    // The invitation was used up.
    const again = await t.http.get(path).query(initiation);
    assert.equal(again.status, 404);
    assert.equal(failureCode(again.text), 'invitation-invalid');
  });

  it("refuses a configuration whose issuer is not on the configuration URL's host, and registers nothing", async () => {
    const path = await invite();
    platform.dr.issuer = 'https://lms.example.com';
    try {
      const before = platform.registrationRequests.length;
      const res = await t.http.get(path).query({ openid_configuration: platform.openidConfigurationUrl });
      assert.equal(res.status, 400);
      assert.equal(failureCode(res.text), 'issuer-host-mismatch');
      const posted = await t.http
        .post(path)
        .type('form')
        .set('Origin', 'http://localhost:8080')
        .send({ openid_configuration: platform.openidConfigurationUrl });
      assert.equal(failureCode(posted.text), 'issuer-host-mismatch');
      assert.equal(platform.registrationRequests.length, before);
    } finally {
      platform.dr.issuer = undefined;
    }
  });

  it('refuses a confirmation that is not posted from EdHub’s own page', async () => {
    const path = await invite();
    const res = await t.http.post(path).type('form').set('Origin', 'https://attacker.example').send({ openid_configuration: platform.openidConfigurationUrl });
    assert.equal(res.status, 403);
    assert.equal(failureCode(res.text), 'registration-origin-mismatch');
  });

  it('when the platform refuses the registration, says so and leaves the invitation usable', async () => {
    const path = await invite();
    platform.dr.registrationStatus = 422;
    try {
      const res = await t.http.post(path).type('form').set('Origin', 'http://localhost:8080').send({ openid_configuration: platform.openidConfigurationUrl });
      assert.equal(res.status, 502);
      assert.equal(failureCode(res.text), 'registration-rejected');
    } finally {
      platform.dr.registrationStatus = undefined;
    }
    const retry = await t.http.post(path).type('form').set('Origin', 'http://localhost:8080').send({ openid_configuration: platform.openidConfigurationUrl });
    assert.equal(retry.status, 200, retry.text.slice(0, 300));
  });

  it('refuses unknown, revoked and expired invitations, and initiations without a usable openid_configuration', async () => {
    const unknown = await t.http.get(`/lti/register/ehr_${'A'.repeat(43)}`).query({ openid_configuration: platform.openidConfigurationUrl });
    assert.equal(failureCode(unknown.text), 'invitation-invalid');
    assert.equal(failureCode((await t.http.get('/lti/register/not-a-token')).text), 'invitation-invalid');

    const path = await invite();
    assert.equal(failureCode((await t.http.get(path)).text), 'openid-configuration-missing');
    assert.equal(failureCode((await t.http.get(path).query({ openid_configuration: 'ftp://lms.example/x' })).text), 'openid-configuration-invalid-url');
    assert.equal(
      failureCode((await t.http.get(path).query({ openid_configuration: `${platform.origin}/nothing-here` })).text),
      'openid-configuration-unreachable',
    );

    const revoked = await invite();
    const res = await t.http.delete(`/api/v1/lti/registration-invitations/${lastInvitationId}`).auth(adminKey, { type: 'bearer' }).expect(200);
    assert.equal(res.body.status, 'revoked');
    assert.equal(failureCode((await t.http.get(revoked).query({ openid_configuration: platform.openidConfigurationUrl })).text), 'invitation-invalid');

    const expiring = await invite();
    t.clock.now = new Date(t.clock.now.getTime() + 25 * 3_600_000);
    try {
      assert.equal(failureCode((await t.http.get(expiring).query({ openid_configuration: platform.openidConfigurationUrl })).text), 'invitation-invalid');
    } finally {
      t.clock.now = new Date(t.clock.now.getTime() - 25 * 3_600_000);
    }
  });
});

describe('LTI Dynamic Registration under the default outbound policy', function () {
  this.timeout(60_000);
  it('will not fetch a configuration from a loopback address unless outboundAllow lists it (SSRF)', async () => {
    const t = await testApp();
    const platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
    try {
      const { adminKey } = await t.tenantWithAdmin('Default Policy');
      const created = await t.http.post('/api/v1/lti/registration-invitations').auth(adminKey, { type: 'bearer' }).send({}).expect(201);
      const mark = t.logs.length;
      const res = await t.http.get(new URL(created.body.url).pathname).query({ openid_configuration: platform.openidConfigurationUrl });
      assert.equal(res.status, 502);
      assert.equal(failureCode(res.text), 'openid-configuration-unreachable');
      assert.equal(platform.configurationRequests.length, 0, 'no request reached the loopback server');
      const line = t.logs
        .slice(mark)
        .map((l) => JSON.parse(l))
        .find((l) => l.lti?.code === 'openid-configuration-unreachable');
      assert.match(line.detail, /127\.0\.0\.1, a loopback, private or special-purpose address/);
    } finally {
      await platform.close();
      await t.close();
    }
  });
});
