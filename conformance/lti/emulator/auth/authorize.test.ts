import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { findForm } from '../../browser/html-form.js';
import { authParams, callAuth, type Harness, startHarness } from '../../testing/harness.js';
import type { LaunchTicket } from '../launch/create-launch.js';

describe('emulator OIDC auth endpoint — the checks of Moodle mod/lti/auth.php (SEC §5.1.1.2, lti.md §2.4)', () => {
  let h: Harness;
  let ticket: LaunchTicket;

  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(async () => {
    ticket = await h.emulator.launch({ clientId: h.tool.clientId, userId: 'student' });
  });

  it('answers a well-formed request with an auto-submitting form POST of id_token and state to the redirect_uri', async () => {
    const res = await callAuth(h.emulator, authParams(h.tool, ticket));
    assert.equal(res.status, 200);
    assert.match(res.body, /onload="document\.forms\[0\]\.submit\(\)"/);
    assert.equal(res.form?.method, 'POST');
    assert.equal(res.form?.action, h.stub.launchUrl);
    assert.deepEqual(Object.keys(res.form?.fields ?? {}).sort(), ['id_token', 'state']);
    assert.equal(res.form?.fields.state, 'state-123');
    const claims = decodeJwt(res.form?.fields.id_token as string);
    assert.equal(claims.nonce, 'nonce-123');
    assert.equal(claims.sub, 'student');
    assert.equal(claims.aud, h.tool.clientId);
  });

  it('accepts the same request sent as a form POST', async () => {
    const res = await fetch(h.emulator.endpoints.authorization, { method: 'POST', body: new URLSearchParams(authParams(h.tool, ticket)) });
    assert.equal(res.status, 200);
    const form = findForm(await res.text(), h.emulator.endpoints.authorization);
    assert.equal(form?.action, h.stub.launchUrl);
    assert.equal(decodeJwt(form?.fields.id_token as string).nonce, 'nonce-123');
  });

  /** Errors the tool can be told about are posted back to its redirect_uri with the state (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1). */
  const delivered: [string, Record<string, string | undefined>, string, RegExp][] = [
    ['a missing nonce', { nonce: undefined }, 'invalid_request', /nonce/],
    ['a missing login_hint', { login_hint: undefined }, 'invalid_request', /login_hint/],
    ['scope other than openid', { scope: 'openid profile' }, 'invalid_scope', /scope must be "openid"/],
    ['response_type other than id_token', { response_type: 'code' }, 'unsupported_response_type', /response_type/],
    ['response_mode other than form_post', { response_mode: 'fragment' }, 'invalid_request', /response_mode/],
    ['a missing response_mode', { response_mode: undefined }, 'invalid_request', /response_mode/],
    ['prompt other than none', { prompt: 'login' }, 'invalid_request', /prompt/],
    ['a login_hint that is not the launching user', { login_hint: 'instructor' }, 'login_required', /login_hint/],
    ['no lti_message_hint', { lti_message_hint: undefined }, 'invalid_request', /lti_message_hint is missing/],
    ['an unknown lti_message_hint', { lti_message_hint: 'no-such-launch' }, 'invalid_request', /no live launch/],
  ];
  for (const [what, change, code, description] of delivered) {
    it(`rejects ${what} with ${code}, posted to the redirect_uri with the state`, async () => {
      const res = await callAuth(h.emulator, authParams(h.tool, ticket, change));
      assert.equal(res.status, 200);
      assert.equal(res.form?.action, h.stub.launchUrl);
      assert.equal(res.form?.fields.error, code);
      assert.match(res.form?.fields.error_description ?? '', description);
      assert.equal(res.form?.fields.state, 'state-123');
      assert.equal(res.form?.fields.id_token, undefined);
    });
  }

  it('rejects an unknown client_id with unauthorized_client on an error page, never redirecting to the unverified redirect_uri', async () => {
    const res = await callAuth(h.emulator, authParams(h.tool, ticket, { client_id: 'stranger' }), 'application/json');
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { error: 'unauthorized_client', error_description: 'unknown client_id "stranger"', state: 'state-123' });
  });

  it('rejects a redirect_uri the tool did not register with invalid_request on an error page', async () => {
    const res = await callAuth(h.emulator, authParams(h.tool, ticket, { redirect_uri: `${h.stub.launchUrl}/elsewhere` }), 'application/json');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).error, 'invalid_request');
    assert.match(JSON.parse(res.body).error_description, /redirect_uri .* is not registered/);
    const html = await callAuth(h.emulator, authParams(h.tool, ticket, { redirect_uri: 'https://attacker.example/' }));
    assert.equal(html.status, 400);
    assert.equal(html.form, undefined);
    assert.doesNotMatch(html.body, /<form/);
    assert.match(html.body, /<code>invalid_request<\/code>/);
  });

  it('rejects a launch begun for another client with invalid_request', async () => {
    const other = h.emulator.registerTool({ initiateLoginUri: h.stub.loginUrl, redirectUris: [h.stub.launchUrl], jwksUri: h.stub.jwksUrl });
    const res = await callAuth(h.emulator, authParams(other, ticket));
    assert.equal(res.form?.fields.error, 'invalid_request');
    assert.match(res.form?.fields.error_description ?? '', /another client/);
  });

  it('rejects a repeated parameter with invalid_request', async () => {
    const url = new URL(h.emulator.endpoints.authorization);
    for (const [k, v] of Object.entries(authParams(h.tool, ticket))) url.searchParams.set(k, v);
    url.searchParams.append('scope', 'openid');
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'parameter(s) repeated: scope' });
  });

  it('lets the tool complete a refused request once corrected (the launch is not consumed by a refusal)', async () => {
    const refused = await callAuth(h.emulator, authParams(h.tool, ticket, { prompt: 'consent' }));
    assert.equal(refused.form?.fields.error, 'invalid_request');
    const accepted = await callAuth(h.emulator, authParams(h.tool, ticket));
    assert.ok(accepted.form?.fields.id_token);
  });
});
