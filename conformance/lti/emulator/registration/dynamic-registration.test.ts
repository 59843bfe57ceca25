import assert from 'node:assert/strict';
import { type Harness, startHarness } from '../../testing/harness.js';
import { SCOPE, vocabulary } from '../vocabulary.js';

const TOOL_CONFIG = vocabulary.toolConfiguration;

describe('emulator Dynamic Registration, platform side (DR 1.0 §3; lti.md §10)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  /** A well-formed tool registration (lti.md §10.3) for the stub tool. */
  const registration = (overrides: Record<string, unknown> = {}, configuration: Record<string, unknown> = {}) => ({
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: h.stub.loginUrl,
    redirect_uris: [h.stub.launchUrl],
    client_name: 'Registered tool',
    jwks_uri: h.stub.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: `${SCOPE.score} ${SCOPE.contextMembershipReadOnly}`,
    [TOOL_CONFIG]: {
      domain: new URL(h.stub.url).host,
      target_link_uri: h.stub.launchUrl,
      custom_parameters: { origin: 'dr' },
      claims: ['iss', 'sub', 'name'],
      messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${h.stub.url}/deep-link`, label: 'Add content' }],
      ...configuration,
    },
    ...overrides,
  });
  const register = async (body: unknown, token?: string, contentType = 'application/json') => {
    const res = await fetch(h.emulator.endpoints.registration, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const token = () => h.emulator.startDynamicRegistration(`${h.stub.url}/register`).registrationToken;

  it('serves an OpenID configuration with its endpoints, private_key_jwt, RS256 and the LTI platform block (DR §3.4)', async () => {
    const config = (await (await fetch(h.emulator.endpoints.openidConfiguration)).json()) as Record<string, unknown>;
    assert.equal(config.issuer, h.emulator.issuer);
    assert.equal(config.authorization_endpoint, h.emulator.endpoints.authorization);
    assert.equal(config.token_endpoint, h.emulator.endpoints.token);
    assert.equal(config.jwks_uri, h.emulator.endpoints.jwks);
    assert.equal(config.registration_endpoint, h.emulator.endpoints.registration);
    assert.deepEqual(config.token_endpoint_auth_methods_supported, ['private_key_jwt']);
    assert.deepEqual(config.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(config.response_types_supported, ['id_token']);
    assert.ok((config.scopes_supported as string[]).includes(SCOPE.lineItem));
    const platform = config[vocabulary.platformConfiguration] as { product_family_code: string; messages_supported: { type: string }[] };
    assert.equal(platform.product_family_code, 'edhub-emulator');
    assert.deepEqual(
      platform.messages_supported.map((m) => m.type),
      ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest'],
    );
  });

  it("initiates registration by opening the tool URL with openid_configuration and a registration_token, keeping the tool's own query", () => {
    const { url, registrationToken } = h.emulator.startDynamicRegistration(`${h.stub.url}/register?tenant=t1`);
    const u = new URL(url);
    assert.equal(u.searchParams.get('tenant'), 't1');
    assert.equal(u.searchParams.get('openid_configuration'), h.emulator.endpoints.openidConfiguration);
    assert.equal(u.searchParams.get('registration_token'), registrationToken);
  });

  it('accepts a well-formed registration: 201, client_id, deployment_id, granted scope; the tool is stored and launchable', async () => {
    const res = await register(registration(), token());
    assert.equal(res.status, 201);
    const clientId = res.body.client_id as string;
    assert.match(clientId, /^tool-[0-9a-f]{16}$/);
    assert.equal(res.body.scope, `${SCOPE.score} ${SCOPE.contextMembershipReadOnly}`);
    const configuration = res.body[TOOL_CONFIG] as Record<string, unknown>;
    const stored = h.emulator.tool(clientId);
    assert.ok(stored);
    assert.equal(configuration.deployment_id, stored.deployments[0]);
    assert.equal(stored.registeredBy, 'dynamic-registration');
    assert.equal(stored.name, 'Registered tool');
    assert.deepEqual(stored.redirectUris, [h.stub.launchUrl]);
    assert.equal(stored.jwksUri, h.stub.jwksUrl);
    assert.deepEqual(stored.scopes, [SCOPE.score, SCOPE.contextMembershipReadOnly]);
    assert.deepEqual(stored.customParameters, { origin: 'dr' });
    const dl = await h.emulator.launch({ clientId, messageType: 'LtiDeepLinkingRequest' });
    assert.equal(dl.loginParams.target_link_uri, `${h.stub.url}/deep-link`);
    assert.equal(dl.loginParams.client_id, clientId);
  });

  it('spends the registration token on success: it cannot register a second tool', async () => {
    const once = token();
    assert.equal((await register(registration(), once)).status, 201);
    const again = await register(registration(), once);
    assert.equal(again.status, 401);
    assert.deepEqual(again.body, { error: 'invalid_token', error_description: 'the registration token is used' });
  });

  it('requires a registration token it issued', async () => {
    const none = await register(registration());
    assert.equal(none.status, 401);
    assert.equal(none.body.error, 'invalid_token');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    const forged = await register(registration(), 'reg_forged');
    assert.deepEqual(forged.body, { error: 'invalid_token', error_description: 'the registration token is unknown' });
  });

  const malformed: [string, () => unknown, string, RegExp][] = [
    ['a body that is not JSON', () => '{not json', 'invalid_request', /not valid JSON/],
    ['application_type native', () => registration({ application_type: 'native' }), 'invalid_client_metadata', /application_type/],
    ['grant_types without client_credentials', () => registration({ grant_types: ['implicit'] }), 'invalid_client_metadata', /grant_types/],
    [
      'a client_secret authentication method',
      () => registration({ token_endpoint_auth_method: 'client_secret_basic' }),
      'invalid_client_metadata',
      /private_key_jwt/,
    ],
    ['no client_name', () => registration({ client_name: undefined }), 'invalid_client_metadata', /client_name/],
    ['no redirect_uris', () => registration({ redirect_uris: [] }), 'invalid_redirect_uri', /redirect_uris/],
    ['a plain-http redirect URI off loopback', () => registration({ redirect_uris: ['http://tool.example/launch'] }), 'invalid_redirect_uri', /https/],
    ['no jwks_uri', () => registration({ jwks_uri: undefined }), 'invalid_client_metadata', /jwks_uri/],
    ['an unsupported scope', () => registration({ scope: 'https://example.org/scope/everything' }), 'invalid_client_metadata', /unsupported scope/],
    ['no LTI tool configuration', () => registration({ [TOOL_CONFIG]: undefined }), 'invalid_client_metadata', /is required/],
    ['no domain', () => registration({}, { domain: undefined }), 'invalid_client_metadata', /domain is required/],
    ['an unsupported message type', () => registration({}, { messages: [{ type: 'LtiStartProctoring' }] }), 'invalid_client_metadata', /not supported/],
    ['a non-string custom parameter', () => registration({}, { custom_parameters: { n: 1 } }), 'invalid_client_metadata', /custom_parameters/],
    ['a redirect URI off the tool domain', () => registration({}, { domain: 'tool.example' }), 'invalid_redirect_uri', /not on the tool's domain/],
  ];
  for (const [what, body, code, description] of malformed) {
    it(`rejects a registration with ${what} (${code})`, async () => {
      const before = h.emulator.tools().length;
      const res = await register(body(), token());
      assert.equal(res.status, 400);
      assert.equal(res.body.error, code);
      assert.match(res.body.error_description as string, description);
      assert.equal(h.emulator.tools().length, before);
    });
  }

  it('accepts a registration without a token when configured with openRegistration', async () => {
    const open = await startHarness({ openRegistration: true });
    try {
      const res = await fetch(open.emulator.endpoints.registration, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(registration({ initiate_login_uri: open.stub.loginUrl, redirect_uris: [open.stub.launchUrl] }, { domain: '127.0.0.1' })),
      });
      assert.equal(res.status, 201);
    } finally {
      await open.close();
    }
  });
});
