import assert from 'node:assert/strict';
import { type CryptoKey, compactVerify, createLocalJWKSet, errors, exportSPKI, importJWK, type JWK } from 'jose';
import { type Harness, startHarness } from '../../testing/harness.js';
import { issue } from '../../testing/issue.js';
import { CLAIM } from '../vocabulary.js';
import { TamperTable } from './tamper-table.js';

type Issued = Awaited<ReturnType<typeof issue>>;
const NOW = Date.parse('2030-01-15T10:00:00Z');
const NOW_S = NOW / 1000;
const UNTRUSTED = 'https://untrusted.example/client';

/**
 * Each tamper of conformance/lti/tamper-cases.json produces exactly the defect it names (lti.md §11,
 * §12.1): the expectation below says what must differ from an untampered launch of the same user,
 * link and nonce; everything else must be identical. Every tamper in the table needs an expectation.
 */
describe('emulator tampers: each produces exactly the defect it names', () => {
  let h: Harness;
  let jwks: { keys: JWK[] };

  before(async () => {
    h = await startHarness({ now: () => NOW });
    jwks = h.emulator.jwks() as { keys: JWK[] };
  });
  after(() => h.close());

  const signedByPlatform = async (token: string) => compactVerify(token, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
  const platformKey = () => importJWK(jwks.keys[0] as JWK, 'RS256');

  /** The changed claim names (expanded) and the assertions on them; every other claim must equal the untampered launch's. */
  const EXPECT: Record<
    string,
    { claims?: string[]; header?: string[]; check: (t: Issued, base: Issued) => Promise<void> | void; messageType?: 'LtiDeepLinkingRequest' }
  > = {
    'no-kid': {
      header: ['kid'],
      check: async (t) => {
        assert.equal('kid' in t.header, false);
        await compactVerify(t.idToken, await platformKey());
      },
    },
    'unknown-kid': {
      header: ['kid'],
      check: async (t) => {
        assert.match(t.header.kid as string, /^unknown-kid-[0-9a-f]{16}$/);
        assert.ok(!jwks.keys.some((k) => k.kid === t.header.kid));
        await compactVerify(t.idToken, await platformKey());
      },
    },
    'alg-none': {
      header: ['alg'],
      check: (t) => {
        assert.equal(t.header.alg, 'none');
        assert.equal(t.idToken.split('.').length, 3);
        assert.equal(t.idToken.split('.')[2], '');
      },
    },
    'hs256-public-key': {
      header: ['alg'],
      check: async (t) => {
        assert.equal(t.header.alg, 'HS256');
        const pem = await exportSPKI((await importJWK(jwks.keys[0] as JWK, 'RS256', { extractable: true })) as CryptoKey);
        await compactVerify(t.idToken, new TextEncoder().encode(pem), { algorithms: ['HS256'] });
      },
    },
    'foreign-signature': {
      check: async (t) => {
        assert.equal(t.header.alg, 'RS256');
        assert.equal(t.header.kid, jwks.keys[0]?.kid);
        await assert.rejects(signedByPlatform(t.idToken), errors.JWSSignatureVerificationFailed);
      },
    },
    'not-a-jwt': {
      check: async (t, base) => {
        assert.equal(t.idToken.split('.').length, 2);
        assert.equal(t.header.alg, undefined);
        assert.equal(t.idToken.split('.')[1], base.idToken.split('.')[1]);
      },
    },
    'wrong-version': { claims: [CLAIM.version], check: (t) => assert.equal(t.claims[CLAIM.version], '11.3') },
    'missing-version': { claims: [CLAIM.version], check: (t) => assert.equal(CLAIM.version in t.claims, false) },
    'exp-iat-invalid': {
      claims: ['exp', 'iat'],
      check: (t) => assert.deepEqual([t.claims.exp, t.claims.iat], [11111, 22222]),
    },
    expired: { claims: ['exp', 'iat'], check: (t) => assert.deepEqual([t.claims.exp, t.claims.iat], [NOW_S - 3600, NOW_S - 3900]) },
    'iat-in-future': { claims: ['exp', 'iat'], check: (t) => assert.deepEqual([t.claims.iat, t.claims.exp], [NOW_S + 3600, NOW_S + 3900]) },
    'missing-message-type': { claims: [CLAIM.messageType], check: (t) => assert.equal(CLAIM.messageType in t.claims, false) },
    'missing-required-claims': {
      claims: [CLAIM.version, CLAIM.messageType, CLAIM.deploymentId, CLAIM.roles],
      check: (t) =>
        assert.deepEqual(
          [CLAIM.version, CLAIM.messageType, CLAIM.deploymentId, CLAIM.roles].filter((c) => c in t.claims),
          [],
        ),
    },
    'missing-roles': { claims: [CLAIM.roles], check: (t) => assert.equal(CLAIM.roles in t.claims, false) },
    'missing-deployment-id': { claims: [CLAIM.deploymentId], check: (t) => assert.equal(CLAIM.deploymentId in t.claims, false) },
    'missing-sub': { claims: ['sub'], check: (t) => assert.equal('sub' in t.claims, false) },
    'empty-sub': { claims: ['sub'], check: (t) => assert.equal(t.claims.sub, '') },
    'missing-resource-link-id': {
      claims: [CLAIM.resourceLink],
      check: (t, base) => {
        const { id: _id, ...rest } = base.claims[CLAIM.resourceLink] as Record<string, unknown>;
        assert.deepEqual(t.claims[CLAIM.resourceLink], rest);
      },
    },
    'missing-resource-link': { claims: [CLAIM.resourceLink], check: (t) => assert.equal(CLAIM.resourceLink in t.claims, false) },
    'missing-deep-linking-settings': {
      messageType: 'LtiDeepLinkingRequest',
      claims: [CLAIM.deepLinkingSettings],
      check: (t) => assert.equal(CLAIM.deepLinkingSettings in t.claims, false),
    },
    'missing-nonce': { claims: ['nonce'], check: (t) => assert.equal('nonce' in t.claims, false) },
    'replayed-nonce': {
      claims: ['nonce'],
      // The untampered launch delivered "nonce-base"; the tampered one was asked for "nonce-tampered".
      check: (t) => assert.equal(t.claims.nonce, 'nonce-base'),
    },
    'wrong-nonce': { claims: ['nonce'], check: (t) => assert.match(t.claims.nonce as string, /^unissued-nonce-[0-9a-f]{16}$/) },
    'state-mismatch': {
      check: (t) => {
        assert.match(t.fields.state as string, /^unissued-state-[0-9a-f]{16}$/);
      },
    },
    'wrong-iss': { claims: ['iss'], check: (t) => assert.equal(t.claims.iss, 'https://untrusted.example') },
    'wrong-aud': { claims: ['aud'], check: (t) => assert.equal(t.claims.aud, UNTRUSTED) },
    'extra-aud': {
      claims: ['aud', 'azp'],
      check: (t) => {
        assert.deepEqual(t.claims.aud, [h.tool.clientId, UNTRUSTED]);
        assert.equal(t.claims.azp, h.tool.clientId);
      },
    },
    'azp-mismatch': {
      claims: ['aud', 'azp'],
      check: (t) => {
        assert.deepEqual(t.claims.aud, [h.tool.clientId, UNTRUSTED]);
        assert.equal(t.claims.azp, UNTRUSTED);
      },
    },
    'unknown-deployment': {
      claims: [CLAIM.deploymentId],
      check: (t) => {
        assert.match(t.claims[CLAIM.deploymentId] as string, /^unknown-deployment-[0-9a-f]{16}$/);
        assert.ok(!h.tool.deployments.includes(t.claims[CLAIM.deploymentId] as string));
      },
    },
    'target-link-outside-tool': {
      claims: [CLAIM.targetLinkUri],
      check: (t) => assert.equal(t.claims[CLAIM.targetLinkUri], 'https://untrusted.example/launch'),
    },
  };

  it('has an expectation for every tamper of the table, and the table names a certification case for each §12.1 invalid case', () => {
    const ids = TamperTable.load()
      .list()
      .map((t) => t.id);
    assert.deepEqual(
      ids.filter((id) => !(id in EXPECT)),
      [],
    );
    assert.deepEqual(
      Object.keys(EXPECT).filter((id) => !ids.includes(id)),
      [],
    );
    const certs = TamperTable.load()
      .list()
      .flatMap((t) => (t.cert ? [t.cert] : []));
    for (const cert of [
      'Correct KID Required in Header',
      'Incorrect KID passed in JWT Header',
      'JWT Passed is Not LTI 1.3 JWT',
      'LTI version passed is not 1.3',
      'No LTI Version Passed',
      'Exp and Iat Fields invalid',
      'One or more JWT fields missing',
      'message_type Claim Missing',
      'role Claim Missing',
      'deployment_id Claim Missing',
      'user Claim Missing',
      'Launch With Missing resource_link_id',
    ]) {
      assert.ok(certs.includes(cert), cert);
    }
  });

  for (const tamper of TamperTable.load().list()) {
    it(`${tamper.id}: ${tamper.defect}`, async () => {
      const expect = EXPECT[tamper.id];
      assert.ok(expect, `no expectation for ${tamper.id}`);
      const input = { userId: 'student', messageType: expect.messageType ?? ('LtiResourceLinkRequest' as const) };
      const base = await issue(h.emulator, h.tool, input, 'nonce-base');
      const tampered = await issue(h.emulator, h.tool, { ...input, tamper: [tamper.id] }, tamper.id === 'replayed-nonce' ? 'nonce-tampered' : 'nonce-base');
      await expect.check(tampered, base);

      // Exactly that defect: every other claim, header field and posted field is as in the untampered launch.
      const without = (o: Record<string, unknown>, keys: string[] = []) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
      assert.deepEqual(without(tampered.claims, expect.claims), without(base.claims, expect.claims));
      if (tamper.id !== 'not-a-jwt') assert.deepEqual(without(tampered.header, expect.header), without(base.header, expect.header));
      if (tamper.id !== 'state-mismatch') assert.equal(tampered.fields.state, base.fields.state);
      if (!tamper.signature && !tamper.format && !tamper.header) await signedByPlatform(tampered.idToken);
    });
  }

  it('combines tampers: no kid and a missing version in one id_token', async () => {
    const t = await issue(h.emulator, h.tool, { tamper: ['no-kid', 'missing-version'] });
    assert.equal('kid' in t.header, false);
    assert.equal(CLAIM.version in t.claims, false);
  });

  it('refuses two tampers that ask for different signatures', async () => {
    await assert.rejects(h.emulator.launch({ clientId: h.tool.clientId, tamper: ['alg-none', 'hs256-public-key'] }), /two different signatures/);
  });
});
