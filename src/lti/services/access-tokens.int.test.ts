import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { getLineItem } from './ags.js';
import { CLIENT_ASSERTION_LIFETIME_SECONDS, clientAssertion } from './client-assertion.js';
import { fetchMemberships } from './nrps.js';
import { LtiServiceError } from './service-errors.js';
import { json, type ScriptedPlatform, startScriptedPlatform } from './testing/scripted-platform.js';
import { all, COURSE, type ServicesHarness, startServicesHarness } from './testing/services-harness.js';
import { SCOPE } from './vocabulary.js';

/** Service access tokens (SEC §4.1; fact sheet §7), against the platform emulator's token endpoint. */
describe('LTI service access tokens (client_credentials with a signed client assertion)', function () {
  this.timeout(60_000);
  let h: ServicesHarness;
  let scripted: ScriptedPlatform;
  before(async () => {
    h = await startServicesHarness();
    scripted = await startScriptedPlatform();
  });
  after(async () => {
    await scripted.close();
    await h.close();
  });

  const tokenRequests = () => h.emulator.tokenRequests(h.tool.clientId);
  const rejects = (p: Promise<unknown>, code: string, check: (e: LtiServiceError) => void = () => {}) =>
    assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof LtiServiceError, String(err));
      assert.equal(err.code, code, err.message);
      check(err);
      return true;
    });

  it('signs the client assertion with the current tool key: RS256 with its kid, iss = sub = client_id, aud = the token URL, a fresh jti, at most five minutes', async () => {
    const jwks = await h.toolKeys.jwks();
    const [a, b] = [await clientAssertion(h.toolKeys, h.registration), await clientAssertion(h.toolKeys, h.registration)];
    const header = decodeProtectedHeader(a);
    assert.deepEqual([header.alg, header.kid], ['RS256', jwks.keys[0]?.kid]);
    const { payload } = await jwtVerify(a, createLocalJWKSet(jwks), { algorithms: ['RS256'], currentDate: h.now() });
    assert.deepEqual([payload.iss, payload.sub, payload.aud], [h.tool.clientId, h.tool.clientId, h.emulator.endpoints.token]);
    assert.ok((payload.exp as number) - (payload.iat as number) <= 300);
    assert.equal((payload.exp as number) - (payload.iat as number), CLIENT_ASSERTION_LIFETIME_SECONDS);
    assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
    assert.notEqual(payload.jti, (await jwtVerify(b, createLocalJWKSet(jwks), { currentDate: h.now() })).payload.jti, 'one jti per assertion');
  });

  it("addresses the assertion to the registration's token audience when the platform published one", async () => {
    const token = await clientAssertion(h.toolKeys, { ...h.registration, tokenAudience: 'https://auth.lms.example/oauth2' });
    const { payload } = await jwtVerify(token, createLocalJWKSet(await h.toolKeys.jwks()), { currentDate: h.now() });
    assert.equal(payload.aud, 'https://auth.lms.example/oauth2');
  });

  it('asks for exactly the scopes named (sorted, de-duplicated) and caches one token per (registration, scope set)', async () => {
    const before = tokenRequests();
    const first = await h.services.tokens.get(h.registration, [SCOPE.score, SCOPE.lineItem, SCOPE.score]);
    assert.deepEqual(first.scopes, [SCOPE.lineItem, SCOPE.score]);
    assert.equal(first.grantedScope, `${SCOPE.lineItem} ${SCOPE.score}`, 'the emulator granted what was asked, in the order sent');
    const again = await h.services.tokens.get(h.registration, [SCOPE.lineItem, SCOPE.score]);
    assert.equal(again.value, first.value);
    assert.equal(tokenRequests(), before + 1, 'the same scope set in another order is the same token');
    const other = await h.services.tokens.get(h.registration, [SCOPE.score]);
    assert.notEqual(other.value, first.value);
    assert.equal(tokenRequests(), before + 2, 'another scope set is another token');
  });

  it('reuses the token until shortly before expires_in (a 60 s margin), then asks for a new one', async () => {
    const services = h.freshServices();
    const before = tokenRequests();
    const first = await services.tokens.get(h.registration, [SCOPE.resultReadOnly]);
    h.advance((3600 - 61) * 1000);
    assert.equal((await services.tokens.get(h.registration, [SCOPE.resultReadOnly])).value, first.value);
    assert.equal(tokenRequests(), before + 1);
    h.advance(2000);
    const renewed = await services.tokens.get(h.registration, [SCOPE.resultReadOnly]);
    assert.notEqual(renewed.value, first.value);
    assert.equal(tokenRequests(), before + 2);
  });

  it('single flight: 50 concurrent service calls with an empty cache cost one token request', async () => {
    const item = h.emulator.createLineItem(COURSE, h.tool.clientId, { label: 'Quiz', scoreMaximum: 10 });
    const services = h.freshServices();
    const before = tokenRequests();
    const items = await Promise.all(Array.from({ length: 50 }, () => getLineItem(services.client(h.registration), item.url)));
    assert.ok(items.every((i) => i.id === item.url && i.label === 'Quiz'));
    assert.equal(tokenRequests(), before + 1);
  });

  it('a 401 (the platform ended the token early) costs one fresh token and one retry per call, and the calls succeed', async () => {
    const item = h.emulator.createLineItem(COURSE, h.tool.clientId, { label: 'Essay', scoreMaximum: 20 });
    const services = h.freshServices();
    await getLineItem(services.client(h.registration), item.url);
    const before = tokenRequests();
    assert.ok(h.emulator.expireAccessTokens(h.tool.clientId) > 0);
    const items = await Promise.all(Array.from({ length: 20 }, () => getLineItem(services.client(h.registration), item.url)));
    assert.equal(items.length, 20);
    assert.equal(tokenRequests(), before + 1, 'the 20 retries shared one new token');
    const calls = (await h.calls()).filter((c) => c.url === item.url);
    assert.equal(calls.filter((c) => c.outcome === 'retoken' && c.status === 401).length, 20);
    assert.equal(calls.filter((c) => c.outcome === 'ok').length, 21);
  });

  it('retries a 401 once, never more: a platform refusing every token answers `unauthorized` after two calls and two tokens', async () => {
    const reg = await h.register({ clientId: 'always-401', tokenUrl: scripted.tokenUrl, issuer: scripted.origin });
    scripted.requests.length = 0;
    scripted.answer = () => json(401, { error: 'invalid_token', error_description: 'no' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    await rejects(getLineItem(h.services.client(reg), scripted.url('/lineitems/1/lineitem')), 'unauthorized', (e) => {
      assert.equal(e.details.status, 401);
      assert.equal(e.details.platformError, 'invalid_token');
    });
    assert.equal(scripted.serviceRequests().length, 2);
    assert.equal(scripted.tokenRequests().length, 2);
    const auth = scripted.serviceRequests().map((r) => r.headers.authorization);
    assert.notEqual(auth[0], auth[1], 'the retry carried the fresh token');
  });

  it('surfaces invalid_scope with the platform error and description, and logs the refused token request', async () => {
    const limited = h.emulator.registerTool({
      name: 'scores only',
      initiateLoginUri: 'http://127.0.0.1:9/login',
      redirectUris: ['http://127.0.0.1:9/launch'],
      jwks: h.tool.jwks as NonNullable<typeof h.tool.jwks>,
      scopes: [SCOPE.score],
    });
    const reg = await h.register({ clientId: limited.clientId, tokenUrl: h.emulator.endpoints.token });
    await rejects(all(fetchMemberships(h.services.client(reg), h.emulator.endpoints.memberships(COURSE))), 'token-refused', (e) => {
      assert.equal(e.details.status, 400);
      assert.equal(e.details.platformError, 'invalid_scope');
      assert.match(e.details.platformDescription ?? '', /not granted to this tool: .*contextmembership\.readonly/);
      assert.match(e.message, /refused \(400 invalid_scope: /);
    });
    const logged = (await h.calls()).filter((c) => c.registrationId === reg.id);
    assert.deepEqual(
      logged.map((c) => [c.service, c.method, c.status, c.outcome]),
      [['token', 'POST', 400, 'http-error']],
      'no service call was attempted without a token',
    );
  });

  it('surfaces invalid_client when the platform does not know the key the assertion is signed with', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const stranger = h.emulator.registerTool({
      name: 'other key',
      initiateLoginUri: 'http://127.0.0.1:9/login',
      redirectUris: ['http://127.0.0.1:9/launch'],
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'someone-else', alg: 'RS256' }] },
    });
    const reg = await h.register({ clientId: stranger.clientId, tokenUrl: h.emulator.endpoints.token });
    await rejects(h.services.tokens.get(reg, [SCOPE.score]), 'token-refused', (e) => {
      assert.equal(e.details.status, 401);
      assert.equal(e.details.platformError, 'invalid_client');
    });
  });

  it('refuses token responses that are not a usable bearer token, and does not cache a failure', async () => {
    const reg = await h.register({ clientId: 'nonsense-tokens', tokenUrl: scripted.tokenUrl, issuer: scripted.origin });
    const cases: [ReturnType<ScriptedPlatform['tokenAnswer']>, string, RegExp][] = [
      [{ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>login</html>' }, 'token-response-invalid', /not JSON \(Content-Type text\/html\)/],
      [json(200, { token_type: 'Bearer' }), 'token-response-invalid', /no usable access_token/],
      [json(200, { access_token: 'x', token_type: 'mac' }), 'token-response-invalid', /token_type is mac/],
      [json(200, { access_token: 'x', expires_in: -5 }), 'token-response-invalid', /expires_in is not a positive number/],
      [{ status: 503, body: 'Service Unavailable' }, 'token-refused', /503 Service Unavailable/],
    ];
    for (const [answer, code, message] of cases) {
      scripted.tokenAnswer = () => answer;
      await rejects(h.services.tokens.get(reg, [SCOPE.score]), code, (e) => assert.match(e.message, message));
    }
    const asked = scripted.tokenRequests().length;
    scripted.tokenAnswer = () => json(200, { access_token: 'finally', token_type: 'bearer', expires_in: '3600' });
    assert.equal((await h.services.tokens.get(reg, [SCOPE.score])).value, 'finally');
    assert.equal(scripted.tokenRequests().length, asked + 1);
    const form = new URLSearchParams(scripted.tokenRequests().at(-1)?.body);
    assert.deepEqual(
      [form.get('grant_type'), form.get('client_assertion_type'), form.get('scope')],
      ['client_credentials', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', SCOPE.score],
    );
    assert.equal(scripted.tokenRequests().at(-1)?.headers['content-type'], 'application/x-www-form-urlencoded');
  });
});
