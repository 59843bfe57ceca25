import assert from 'node:assert/strict';
import type { TenantId } from '../tenancy/ids.js';
import { type TestApp, testApp } from '../testing/test-app.js';

const ROSTER = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';
const DEMOGRAPHICS = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly';

describe('POST /oauth/token — RFC 6749 §4.4 client credentials', () => {
  let t: TestApp;
  let tenantId: TenantId;
  let client: { clientId: string; clientSecret: string };

  before(async () => {
    t = await testApp();
    ({ tenantId } = await t.tenantWithAdmin('Springfield'));
    client = await t.oauthClient(tenantId, [ROSTER, DEMOGRAPHICS, 'audit.read']);
  });
  after(() => t.close());

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const token = (body: string, auth?: [string, string]) => {
    const r = t.http.post('/oauth/token').type('form').send(body);
    return auth ? r.auth(auth[0], auth[1]) : r;
  };

  it('issues a bearer token with client_secret_basic, no-store, carrying every client scope when none is requested', async () => {
    const res = await token(form({ grant_type: 'client_credentials' }), [client.clientId, client.clientSecret]).expect(200);
    assert.equal(res.body.token_type, 'Bearer');
    assert.match(res.body.access_token, /^eha_[A-Za-z0-9_-]{43}$/);
    assert.equal(res.body.expires_in, 3600);
    assert.deepEqual(res.body.scope.split(' ').sort(), [ROSTER, DEMOGRAPHICS, 'audit.read'].sort());
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.pragma, 'no-cache');
  });

  it('issues a token with client_secret_post and narrows it to the requested scopes (§3.3)', async () => {
    const res = await token(form({ grant_type: 'client_credentials', scope: ROSTER, client_id: client.clientId, client_secret: client.clientSecret })).expect(
      200,
    );
    assert.equal(res.body.scope, ROSTER);
    const me = await t.http.get('/api/v1/me').auth(res.body.access_token, { type: 'bearer' }).expect(200);
    assert.deepEqual(me.body, { credential: { type: 'oauth_client', id: client.clientId }, tenantId, scopes: [ROSTER] });
  });

  it('form-decodes Basic credentials (§2.3.1 encodes id and secret before base64)', async () => {
    const encodedId = client.clientId.replace('_', '%5F');
    await token(form({ grant_type: 'client_credentials' }), [encodedId, client.clientSecret]).expect(200);
    // "+" is a form-encoded space, so the secret no longer matches.
    const res = await token(form({ grant_type: 'client_credentials' }), [client.clientId, `${client.clientSecret}+`]).expect(401);
    assert.equal(res.body.error_description, 'client authentication failed: wrong client_secret');
  });

  it('rejects a scope the client does not hold with invalid_scope', async () => {
    const res = await token(form({ grant_type: 'client_credentials', scope: `${ROSTER} tenant.admin` }), [client.clientId, client.clientSecret]).expect(400);
    assert.deepEqual(res.body, { error: 'invalid_scope', error_description: 'the client is not allowed the scope(s): tenant.admin' });
  });

  it('rejects a malformed scope string with invalid_scope', async () => {
    const res = await token(form({ grant_type: 'client_credentials', scope: `${ROSTER}  "x"` }), [client.clientId, client.clientSecret]).expect(400);
    assert.equal(res.body.error, 'invalid_scope');
  });

  it('answers invalid_client 401 with a Basic challenge when no client authentication is sent', async () => {
    const res = await token(form({ grant_type: 'client_credentials' })).expect(401);
    assert.equal(res.body.error, 'invalid_client');
    assert.match(res.headers['www-authenticate'] ?? '', /^Basic realm="edhub"/);
  });

  it('names the failed check: unknown client_id, wrong client_secret', async () => {
    const unknown = await token(form({ grant_type: 'client_credentials' }), ['ehc_doesnotexist0000000000', client.clientSecret]).expect(401);
    assert.equal(unknown.body.error_description, 'client authentication failed: unknown client_id');
    const wrong = await token(form({ grant_type: 'client_credentials' }), [client.clientId, 'ehs_wrong']).expect(401);
    assert.equal(wrong.body.error_description, 'client authentication failed: wrong client_secret');
  });

  it('rejects two authentication methods at once with invalid_request', async () => {
    const res = await token(form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }), [
      client.clientId,
      client.clientSecret,
    ]).expect(400);
    assert.equal(res.body.error, 'invalid_request');
  });

  it('rejects a repeated parameter with invalid_request (§3.2)', async () => {
    const res = await token('grant_type=client_credentials&grant_type=client_credentials', [client.clientId, client.clientSecret]).expect(400);
    assert.deepEqual(res.body, { error: 'invalid_request', error_description: 'the parameter grant_type appears more than once' });
  });

  it('rejects other grant types with unsupported_grant_type, and a missing one with invalid_request', async () => {
    const other = await token(form({ grant_type: 'password' }), [client.clientId, client.clientSecret]).expect(400);
    assert.equal(other.body.error, 'unsupported_grant_type');
    const missing = await token(form({}), [client.clientId, client.clientSecret]).expect(400);
    assert.deepEqual(missing.body, { error: 'invalid_request', error_description: 'grant_type is required' });
  });

  it('rejects a JSON body with invalid_request naming the content type', async () => {
    const res = await t.http.post('/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials' }).expect(400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.error_description, /application\/json/);
  });

  it('rejects a malformed Authorization header as invalid_client', async () => {
    const res = await t.http
      .post('/oauth/token')
      .set('Authorization', 'Basic !!!')
      .type('form')
      .send(form({ grant_type: 'client_credentials' }))
      .expect(401);
    assert.equal(res.body.error_description, 'the Authorization header is not HTTP Basic credentials');
  });

  it('rejects an oversized form body with 413 and no token', async () => {
    const res = await token(`grant_type=client_credentials&pad=${'x'.repeat(70 * 1024)}`, [client.clientId, client.clientSecret]).expect(413);
    assert.equal(res.body.type, 'urn:edhub:problem:payload-too-large');
  });

  it('refuses an expired token, and the token of a revoked client, each saying why', async () => {
    const issued = await token(form({ grant_type: 'client_credentials' }), [client.clientId, client.clientSecret]).expect(200);
    const bearer = issued.body.access_token as string;
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 3601_000);
    const expired = await t.http.get('/api/v1/me').auth(bearer, { type: 'bearer' }).expect(401);
    t.clock.now = saved;
    assert.equal(expired.body.detail, 'the access token has expired; request a new one from /oauth/token');
    assert.match(expired.headers['www-authenticate'] ?? '', /error="invalid_token"/);

    const victim = await t.oauthClient(tenantId, ['audit.read']);
    const victimToken = (await token(form({ grant_type: 'client_credentials' }), [victim.clientId, victim.clientSecret]).expect(200)).body.access_token;
    await t.http
      .delete(`/api/v1/tenants/${tenantId}/oauth-clients/${victim.clientId}`)
      .auth(await t.platformKey(), { type: 'bearer' })
      .expect(200);
    const after = await t.http.get('/api/v1/me').auth(victimToken, { type: 'bearer' }).expect(401);
    assert.equal(after.body.type, 'urn:edhub:problem:invalid-credentials');
    const again = await token(form({ grant_type: 'client_credentials' }), [victim.clientId, victim.clientSecret]).expect(401);
    assert.equal(again.body.error_description, 'client authentication failed: the client has been revoked');
  });

  it("records the client's last use, and sweeps expired tokens as new ones are issued", async () => {
    const fresh = await t.oauthClient(tenantId, ['audit.read']);
    await token(form({ grant_type: 'client_credentials' }), [fresh.clientId, fresh.clientSecret]).expect(200);
    const used = await t.database.db.selectFrom('oauth_clients').select('last_used_at').where('client_id', '=', fresh.clientId).executeTakeFirstOrThrow();
    assert.equal(used.last_used_at?.getTime(), t.clock.now.getTime());

    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 2 * 3600_000);
    try {
      await token(form({ grant_type: 'client_credentials' }), [fresh.clientId, fresh.clientSecret]).expect(200);
      const expired = await t.database.db.selectFrom('access_tokens').select('token_hash').where('expires_at', '<', t.clock.now).execute();
      assert.deepEqual(expired, []);
    } finally {
      t.clock.now = saved;
    }
  });

  it('refuses a forged token that looks like one of ours', async () => {
    const res = await t.http
      .get('/api/v1/me')
      .auth(`eha_${'A'.repeat(43)}`, { type: 'bearer' })
      .expect(401);
    assert.equal(res.body.detail, 'the access token is not one this server issued');
  });
});
