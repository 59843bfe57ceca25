import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Harness, startHarness } from '../../testing/harness.js';
import { generateSigningKey } from '../keys/key-ring.js';
import { SCOPE, vocabulary } from '../vocabulary.js';

const ASSERTION_TYPE = vocabulary.clientAssertionType;

describe('emulator token endpoint — client_credentials with a JWT client assertion (SEC §4.1, RFC 7523, RFC 6749 §5)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const post = async (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => {
    const body = contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
    const res = await fetch(h.emulator.endpoints.token, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const request = async (assertion: string, scope: string | null = SCOPE.score, extra: Record<string, string> = {}) =>
    post({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, ...(scope ? { scope } : {}), ...extra });
  const assertion = (overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    h.stub.clientAssertion(h.tool.clientId, h.emulator.endpoints.token, overrides, header);

  it('issues a Bearer access token for a valid assertion, with the requested scopes, not cacheable', async () => {
    const res = await request(await assertion(), `${SCOPE.lineItem} ${SCOPE.score}`);
    assert.equal(res.status, 200);
    assert.match(res.body.access_token as string, /^emu_[A-Za-z0-9_-]{32}$/);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, `${SCOPE.lineItem} ${SCOPE.score}`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('grants every scope the tool holds when none is requested (RFC 6749 §3.3)', async () => {
    const res = await request(await assertion(), null);
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.scope as string).split(' ').sort(), Object.values(SCOPE).sort());
  });

  it('rejects a replayed jti with invalid_client', async () => {
    const jwt = await assertion({ jti: 'once-only' });
    assert.equal((await request(jwt)).status, 200);
    const replay = await request(jwt);
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body, { error: 'invalid_client', error_description: 'client assertion jti was already used' });
  });

  it('rejects an assertion whose aud is not the token endpoint with invalid_client', async () => {
    const res = await request(await assertion({ aud: h.emulator.issuer }));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'client assertion rejected: aud is wrong' });
  });

  it("rejects a bad signature (a key not in the tool JWKS, under the tool's kid) with invalid_client", async () => {
    const stranger = await generateSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      iss: h.tool.clientId,
      sub: h.tool.clientId,
      aud: h.emulator.endpoints.token,
      iat: now,
      exp: now + 60,
      jti: randomBytes(8).toString('hex'),
    })
      .setProtectedHeader({ alg: 'RS256', kid: h.stub.key.kid })
      .sign(stranger.privateKey);
    const res = await request(forged);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'client assertion rejected: signature verification failed' });
  });

  it('rejects an assertion from an unknown client with invalid_client', async () => {
    const res = await request(await h.stub.clientAssertion('no-such-client', h.emulator.endpoints.token));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'invalid_client', error_description: 'unknown client "no-such-client"' });
  });

  it('rejects iss ≠ sub, an expired assertion, an over-long lifetime and a missing jti with invalid_client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, unknown>, string][] = [
      [{ iss: 'someone-else' }, 'client assertion rejected: iss is wrong'],
      [{ iat: now - 600, exp: now - 300 }, 'client assertion rejected: expired'],
      [{ iat: now, exp: now + 3600 }, 'client assertion lives longer than 300 s'],
      [{ jti: undefined }, 'client assertion rejected: jti missing'],
    ];
    for (const [overrides, description] of cases) {
      const res = await request(await assertion(overrides));
      assert.equal(res.status, 401, description);
      assert.deepEqual(res.body, { error: 'invalid_client', error_description: description });
    }
  });

  it('rejects an unknown scope and a scope not granted to the tool with invalid_scope', async () => {
    const unknown = await request(await assertion(), `${SCOPE.score} https://example.org/scope/admin`);
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { error: 'invalid_scope', error_description: 'unknown scope(s): https://example.org/scope/admin' });
    const narrow = h.emulator.registerTool({
      initiateLoginUri: h.stub.loginUrl,
      redirectUris: [h.stub.launchUrl],
      jwksUri: h.stub.jwksUrl,
      scopes: [SCOPE.score],
    });
    const res = await request(await h.stub.clientAssertion(narrow.clientId, h.emulator.endpoints.token), SCOPE.contextMembershipReadOnly);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'invalid_scope', error_description: `scope(s) not granted to this tool: ${SCOPE.contextMembershipReadOnly}` });
  });

  it('rejects other grant types with unsupported_grant_type, and malformed requests with invalid_request', async () => {
    const jwt = await assertion();
    const grant = await post({ grant_type: 'authorization_code', client_assertion_type: ASSERTION_TYPE, client_assertion: jwt });
    assert.deepEqual([grant.status, grant.body.error], [400, 'unsupported_grant_type']);
    const noGrant = await post({ client_assertion_type: ASSERTION_TYPE, client_assertion: jwt });
    assert.deepEqual([noGrant.status, noGrant.body.error], [400, 'invalid_request']);
    const noAssertion = await post({ grant_type: 'client_credentials', scope: SCOPE.score });
    assert.deepEqual([noAssertion.status, noAssertion.body.error], [400, 'invalid_request']);
    const wrongType = await request(jwt, SCOPE.score, { client_assertion_type: 'urn:example:saml' });
    assert.deepEqual([wrongType.status, wrongType.body.error], [401, 'invalid_client']);
    const json = await post({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: jwt }, 'application/json');
    assert.deepEqual([json.status, json.body.error], [400, 'invalid_request']);
  });

  it('verifies against keys registered by hand when the tool has no JWKS URL', async () => {
    const byHand = h.emulator.registerTool({ initiateLoginUri: h.stub.loginUrl, redirectUris: [h.stub.launchUrl], jwks: { keys: [h.stub.key.publicJwk] } });
    const res = await request(await h.stub.clientAssertion(byHand.clientId, h.emulator.endpoints.token));
    assert.equal(res.status, 200);
  });
});
