import assert from 'node:assert/strict';
import { type CryptoKey, generateKeyPair, SignJWT } from 'jose';
import type { TenantId } from '../../tenancy/ids.js';
import { CLAIM } from '../claims.js';
import { LtiError, type LtiErrorCode } from '../errors.js';
import type { PlatformKeySets } from '../keys/platform-key-sets.js';
import type { Registration } from '../registrations/registration.js';
import { checkAlgorithm } from './check-algorithm.js';
import { checkAudience } from './check-audience.js';
import { checkFormat, MAX_ID_TOKEN_LENGTH } from './check-format.js';
import { checkJwksKey } from './check-jwks-key.js';
import { checkKid } from './check-kid.js';
import { checkMessageClaims } from './check-message-claims.js';
import { checkMessageType } from './check-message-type.js';
import { checkRegistration } from './check-registration.js';
import { checkRoles } from './check-roles.js';
import { checkSignature } from './check-signature.js';
import { checkSubject } from './check-subject.js';
import { checkTargetLinkUri } from './check-target-link-uri.js';
import { checkTimestamps } from './check-timestamps.js';
import { checkVersion } from './check-version.js';
import { LAUNCH_STEPS } from './index.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Each launch check on its own (fact sheet §3), with hand-built contexts. The database-backed checks
 * (state, nonce, deployment) are in db-checks.int.test.ts; the whole pipeline in launch.int.test.ts.
 */
const registration: Registration = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002' as TenantId,
  name: 'LMS',
  issuer: 'https://lms.example.edu',
  clientId: 'client-1',
  authUrl: 'https://lms.example.edu/auth',
  tokenUrl: 'https://lms.example.edu/token',
  tokenAudience: null,
  jwksUrl: 'https://lms.example.edu/jwks',
  autoRegisterDeployments: false,
};
const NOW = new Date('2026-03-01T12:00:00Z');
const nowS = NOW.getTime() / 1000;
const deps = (over: Partial<LaunchDeps> = {}): LaunchDeps =>
  ({
    now: () => NOW,
    baseUrl: 'https://edhub.example.org',
    clockToleranceSeconds: 60,
    idTokenMaxAgeSeconds: 3600,
    allowAnonymousLaunches: false,
    ...over,
  }) as LaunchDeps;

function ctx(claims: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' }): LaunchContext {
  return {
    input: { idToken: undefined, state: undefined, storageTarget: undefined, storageState: undefined, cookieHeader: undefined, origin: undefined },
    registration,
    token: { compact: 'h.p.s', header, claims: { iss: registration.issuer, aud: registration.clientId, ...claims } },
    messageType: 'LtiResourceLinkRequest',
  };
}

async function fails(run: () => unknown, code: LtiErrorCode): Promise<void> {
  await assert.rejects(
    async () => run(),
    (err: unknown) => err instanceof LtiError && err.code === code,
  );
}

describe('LTI launch checks, one by one (fact sheet §3)', () => {
  it('the pipeline runs the checks in the order of the checklist', () => {
    assert.deepEqual(
      LAUNCH_STEPS.map((s) => s.check),
      [
        'state',
        'format',
        'algorithm',
        'kid',
        'registration',
        'jwks-key',
        'signature',
        'audience',
        'timestamps',
        'nonce',
        'version',
        'message-type',
        'deployment',
        'roles',
        'subject',
        'message-claims',
        'target-link-uri',
      ],
    );
  });

  describe('#2 format', () => {
    const withToken = (idToken: unknown): LaunchContext => ({ ...ctx(), token: undefined, input: { ...ctx().input, idToken } });
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    it('decodes a three-part JWS into header and claims', () => {
      const c = withToken(`${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.sig`);
      checkFormat(c);
      assert.deepEqual(c.token?.claims, { sub: 'x' });
    });
    it('refuses an absent, repeated, oversized, two-part, non-base64url, non-JSON or non-object token', async () => {
      await fails(() => checkFormat(withToken(undefined)), 'id-token-missing');
      await fails(() => checkFormat(withToken(['a.b.c', 'd.e.f'])), 'jwt-malformed');
      await fails(() => checkFormat(withToken('a'.repeat(MAX_ID_TOKEN_LENGTH + 1))), 'id-token-too-large');
      await fails(() => checkFormat(withToken(`${b64({ alg: 'RS256' })}.${b64({})}`)), 'jwt-malformed');
      await fails(() => checkFormat(withToken('a+b.c/d.e')), 'jwt-malformed');
      await fails(() => checkFormat(withToken(`${b64('nope')}.${b64({})}.s`)), 'jwt-malformed');
      await fails(() => checkFormat(withToken(`${b64({ alg: 'RS256' })}.${b64('"a string"')}.s`)), 'jwt-malformed');
    });
    it('lets an empty signature through, for check 3 to name (alg none)', () => {
      checkFormat(withToken(`${b64({ alg: 'none' })}.${b64({})}.`));
    });
  });

  it('#3 algorithm: RS256 only, whatever the header says', async () => {
    checkAlgorithm(ctx());
    for (const alg of ['none', 'HS256', 'HS512', 'RS512', 'ES256', 'PS256', undefined])
      await fails(() => checkAlgorithm(ctx({}, { alg, kid: 'k' })), 'alg-not-allowed');
  });

  it('#4 kid: required, a non-empty string', async () => {
    const c = ctx();
    checkKid(c);
    assert.equal(c.kid, 'k1');
    for (const kid of [undefined, '', 42]) await fails(() => checkKid(ctx({}, { alg: 'RS256', kid })), 'kid-missing');
  });

  it("#5 registration: the login's issuer exactly, and its client_id among the audiences", async () => {
    checkRegistration(ctx());
    checkRegistration(ctx({ aud: ['client-1', 'other'] }));
    await fails(() => checkRegistration(ctx({ iss: 'https://lms.example.edu/' })), 'iss-mismatch');
    await fails(() => checkRegistration(ctx({ aud: 'client-2' })), 'aud-mismatch');
    await fails(() => checkRegistration(ctx({ aud: ['client-2'] })), 'aud-mismatch');
    await fails(() => checkRegistration(ctx({ aud: undefined })), 'aud-mismatch');
  });

  it('#6 jwks-key: asks the key set cache for the kid at the registration’s JWKS URL', async () => {
    const asked: string[] = [];
    const keySets: PlatformKeySets = {
      async keyFor(url, kid) {
        asked.push(`${url}#${kid}`);
        return {} as CryptoKey;
      },
    };
    const c = { ...ctx(), kid: 'k1' };
    await checkJwksKey(c, deps({ keySets }));
    assert.deepEqual(asked, ['https://lms.example.edu/jwks#k1']);
    assert.ok(c.key);
  });

  it('#7 signature: verifies with the selected key; another key’s signature fails', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const compact = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    const c = ctx();
    c.token = { compact, header: {}, claims: {} };
    c.key = publicKey;
    await checkSignature(c);
    c.key = other.publicKey;
    await fails(() => checkSignature(c), 'signature-invalid');
  });

  it('#8 audience: no untrusted extra audience; azp, when present, is the client_id', async () => {
    checkAudience(ctx());
    checkAudience(ctx({ aud: ['client-1'], azp: 'client-1' }));
    checkAudience(ctx({ aud: ['client-1'] }));
    await fails(() => checkAudience(ctx({ aud: ['client-1', 'other'], azp: 'client-1' })), 'aud-untrusted');
    await fails(() => checkAudience(ctx({ azp: 'other' })), 'azp-mismatch');
  });

  it('#9 timestamps: exp in the future, iat not in the future nor too old, both with leeway', async () => {
    checkTimestamps(ctx({ exp: nowS + 300, iat: nowS }), deps());
    checkTimestamps(ctx({ exp: nowS - 59, iat: nowS + 59 }), deps());
    checkTimestamps(ctx({ exp: nowS + 300, iat: nowS - 3600 - 59 }), deps());
    await fails(() => checkTimestamps(ctx({ exp: '9999999999', iat: nowS }), deps()), 'exp-invalid');
    await fails(() => checkTimestamps(ctx({ exp: nowS + 300 }), deps()), 'iat-invalid');
    await fails(() => checkTimestamps(ctx({ exp: 11111, iat: 22222 }), deps()), 'token-expired');
    await fails(() => checkTimestamps(ctx({ exp: nowS - 61, iat: nowS - 300 }), deps()), 'token-expired');
    await fails(() => checkTimestamps(ctx({ exp: nowS + 7200, iat: nowS + 61 }), deps()), 'iat-in-future');
    await fails(() => checkTimestamps(ctx({ exp: nowS + 300, iat: nowS - 3600 - 61 }), deps()), 'iat-too-old');
  });

  it('#11 version: exactly "1.3.0"', async () => {
    checkVersion(ctx({ [CLAIM.version]: '1.3.0' }));
    await fails(() => checkVersion(ctx()), 'version-missing');
    for (const v of ['11.3', '1.3', 1.3]) await fails(() => checkVersion(ctx({ [CLAIM.version]: v })), 'version-unsupported');
  });

  it('#12 message type: one of the types in standards/lti/message-types.json', async () => {
    for (const type of ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest']) {
      const c = ctx({ [CLAIM.messageType]: type });
      checkMessageType(c);
      assert.equal(c.messageType, type);
    }
    await fails(() => checkMessageType(ctx()), 'message-type-missing');
    await fails(() => checkMessageType(ctx({ [CLAIM.messageType]: 'LtiDeepLinkingResponse' })), 'message-type-unsupported');
  });

  it('#14 roles: required; empty, short, sub-roles and unknown are accepted and normalised', async () => {
    const roles = (value: unknown) => {
      const c = ctx({ [CLAIM.roles]: value });
      checkRoles(c);
      return c.roles;
    };
    assert.deepEqual(roles([]), []);
    assert.deepEqual(roles(['']), []);
    assert.deepEqual(roles(['Instructor', 'http://example.org/role#Wizard']), [
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
      'http://example.org/role#Wizard',
    ]);
    await fails(() => checkRoles(ctx()), 'roles-missing');
    await fails(() => checkRoles(ctx({ [CLAIM.roles]: 'Instructor' })), 'roles-invalid');
  });

  it('#15 subject: empty refused; absent only as a configured anonymous launch', async () => {
    const c = ctx({ sub: 'u1' });
    checkSubject(c, deps());
    assert.equal(c.sub, 'u1');
    await fails(() => checkSubject(ctx({ sub: '' }), deps({ allowAnonymousLaunches: true })), 'sub-empty');
    await fails(() => checkSubject(ctx(), deps()), 'sub-missing');
    await fails(() => checkSubject(ctx({ sub: 'x'.repeat(256) }), deps()), 'sub-invalid');
    await fails(() => checkSubject(ctx({ sub: 7 }), deps()), 'sub-invalid');
    const anon = ctx();
    checkSubject(anon, deps({ allowAnonymousLaunches: true }));
    assert.equal(anon.sub, null);
  });

  it('#16 message claims: what each message type requires, and the id of optional claims present', async () => {
    const link = { [CLAIM.resourceLink]: { id: 'rl' }, [CLAIM.targetLinkUri]: 'https://edhub.example.org/lti/launch' };
    checkMessageClaims(ctx(link));
    await fails(() => checkMessageClaims(ctx({ ...link, [CLAIM.resourceLink]: { title: 't' } })), 'required-claim-missing');
    await fails(() => checkMessageClaims(ctx({ ...link, [CLAIM.targetLinkUri]: undefined })), 'required-claim-missing');
    await fails(() => checkMessageClaims(ctx({ ...link, [CLAIM.resourceLink]: { id: 'x'.repeat(256) } })), 'claim-invalid');
    await fails(() => checkMessageClaims(ctx({ ...link, [CLAIM.context]: { title: 'no id' } })), 'claim-invalid');
    const dl = {
      ...ctx({
        [CLAIM.deepLinkingSettings]: { deep_link_return_url: 'https://lms/x', accept_types: ['link'], accept_presentation_document_targets: ['iframe'] },
      }),
      messageType: 'LtiDeepLinkingRequest',
    };
    checkMessageClaims(dl);
    await fails(
      () => checkMessageClaims({ ...dl, token: ctx({ [CLAIM.deepLinkingSettings]: { deep_link_return_url: 'x', accept_types: 'link' } }).token }),
      'claim-invalid',
    );
    const review = { ...ctx({ [CLAIM.resourceLink]: { id: 'rl' }, [CLAIM.forUser]: { user_id: 'u' } }), messageType: 'LtiSubmissionReviewRequest' };
    await fails(() => checkMessageClaims(review), 'required-claim-missing');
  });

  it('#17 target_link_uri: only under the tool’s base URL; absent allowed (Deep Linking)', async () => {
    const c = ctx({ [CLAIM.targetLinkUri]: 'https://edhub.example.org/lti/launch?x=1' });
    checkTargetLinkUri(c, deps());
    assert.equal(c.targetLinkUri, 'https://edhub.example.org/lti/launch?x=1');
    const none = ctx();
    checkTargetLinkUri(none, deps());
    assert.equal(none.targetLinkUri, null);
    for (const bad of [
      'https://edhub.example.org.evil.example/',
      'http://edhub.example.org/lti',
      'https://user@edhub.example.org/',
      'javascript:alert(1)',
      42,
    ]) {
      await fails(() => checkTargetLinkUri(ctx({ [CLAIM.targetLinkUri]: bad }), deps()), 'target-link-uri-not-allowed');
    }
  });
});
