import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type Harness, startHarness } from '../../testing/harness.js';
import { issue } from '../../testing/issue.js';
import { CLAIM, MESSAGE_TYPES, type MessageType, SCOPE, vocabulary } from '../vocabulary.js';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('emulator id_tokens (CORE §5, SEC §5.1.2; lti.md §4.2, §11)', () => {
  let h: Harness;
  let lineItemId: string;

  before(async () => {
    h = await startHarness();
    lineItemId = h.emulator.createLineItem('course-101', h.tool.clientId, { label: 'Quiz 1', scoreMaximum: 20, resourceLinkId: 'rl-week-1' }).id;
  });
  after(() => h.close());

  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(h.emulator.endpoints.jwks)), { algorithms: ['RS256'], issuer: h.emulator.issuer, audience: h.tool.clientId });
  const inputFor = (messageType: MessageType) => (messageType === 'LtiSubmissionReviewRequest' ? { messageType, lineItemId } : { messageType });

  it('publishes its RS256 public keys with kid and Cache-Control: max-age, and no private parameters', async () => {
    const res = await fetch(h.emulator.endpoints.jwks);
    assert.equal(res.headers.get('cache-control'), 'max-age=300');
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0] ?? {}).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(keys[0]?.alg, 'RS256');
  });

  for (const messageType of MESSAGE_TYPES) {
    it(`signs a ${messageType} that verifies with jose against the JWKS and carries every required claim of lti.md §4.2`, async () => {
      const { idToken, header } = await issue(h.emulator, h.tool, inputFor(messageType), 'nonce-for-verify');
      const { payload } = await verify(idToken);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, h.emulator.jwks().keys[0]?.kid);
      assert.equal(payload.nonce, 'nonce-for-verify');
      assert.equal((payload.exp as number) - (payload.iat as number), 300);
      assert.equal(payload[CLAIM.version], '1.3.0');
      assert.equal(payload[CLAIM.messageType], messageType);
      assert.equal(payload[CLAIM.deploymentId], 'deployment-1');
      for (const name of vocabulary.messageTypes[messageType].required) {
        const claim = name === 'sub' ? 'sub' : CLAIM[name];
        assert.ok(payload[claim] !== undefined, `${messageType} lacks ${claim}`);
      }
    });
  }

  it('LtiResourceLinkRequest: resource link, target link, context, platform, LIS, and AGS / NRPS claims pointing at the emulator', async () => {
    const { claims } = await issue(h.emulator, h.tool, {
      custom: { who: '$User.id', course: '$Context.title', link: '$ResourceLink.id', unknown: '$No.such' },
    });
    assert.deepEqual(claims[CLAIM.resourceLink], {
      id: 'rl-week-1',
      title: 'Week 1: launch and grade',
      description: 'A plain resource link in the first course',
    });
    assert.equal(claims[CLAIM.targetLinkUri], h.stub.launchUrl);
    assert.deepEqual(claims[CLAIM.context], {
      id: 'course-101',
      label: 'INT101',
      title: 'Introduction to Interoperability',
      type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
    });
    assert.equal((claims[CLAIM.toolPlatform] as { guid: string }).guid, 'edhub-platform-emulator');
    assert.deepEqual(claims[CLAIM.lis], {
      person_sourcedid: 'teacher-ada',
      course_offering_sourcedid: 'class-int101',
      course_section_sourcedid: 'class-int101',
    });
    assert.deepEqual(claims[CLAIM.custom], { who: 'instructor', course: 'Introduction to Interoperability', link: 'rl-week-1', unknown: '$No.such' });
    assert.deepEqual(claims[CLAIM.agsEndpoint], {
      scope: [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score],
      lineitems: `${h.emulator.url}/lti/contexts/course-101/lineitems`,
      lineitem: `${h.emulator.url}/lti/contexts/course-101/lineitems/${lineItemId}/lineitem`,
    });
    assert.deepEqual(claims[CLAIM.nrps], { context_memberships_url: `${h.emulator.url}/lti/contexts/course-101/memberships`, service_versions: ['2.0'] });
  });

  it('LtiDeepLinkingRequest: deep_linking_settings with a per-launch return URL and data, and no resource link', async () => {
    const { claims, ticket } = await issue(h.emulator, h.tool, {
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: { acceptMultiple: false, title: 'Pick one' },
    });
    assert.deepEqual(claims[CLAIM.deepLinkingSettings], {
      deep_link_return_url: `${h.emulator.url}/lti/deep-linking/return/${ticket.id}`,
      accept_types: ['link', 'file', 'html', 'ltiResourceLink', 'image'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: false,
      accept_lineitem: true,
      auto_create: true,
      title: 'Pick one',
      data: ticket.id,
    });
    assert.equal(claims[CLAIM.resourceLink], undefined);
    assert.equal(claims[CLAIM.agsEndpoint], undefined);
  });

  it("LtiSubmissionReviewRequest: for_user (the context's first learner by default) and the AGS endpoint with the reviewed line item", async () => {
    const { claims } = await issue(h.emulator, h.tool, { messageType: 'LtiSubmissionReviewRequest', lineItemId });
    assert.deepEqual(claims[CLAIM.forUser], {
      user_id: 'student',
      person_sourcedid: 'student-alan',
      given_name: 'Alan',
      family_name: 'Turing',
      name: 'Alan Turing',
      email: 'alan.turing@example.edu',
      roles: [LEARNER, 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'],
    });
    assert.equal((claims[CLAIM.agsEndpoint] as { lineitem: string }).lineitem, `${h.emulator.url}/lti/contexts/course-101/lineitems/${lineItemId}/lineitem`);
    assert.equal((claims[CLAIM.resourceLink] as { id: string }).id, 'rl-week-1');
  });

  it('sends personal data only where the user has it (no PII, only email, only names)', async () => {
    const pii = ['name', 'given_name', 'family_name', 'middle_name', 'email', 'picture'];
    const present = async (userId: string) => {
      const { claims } = await issue(h.emulator, h.tool, { userId });
      return pii.filter((k) => k in claims);
    };
    assert.deepEqual(await present('student-no-pii'), []);
    assert.deepEqual(await present('student-only-email'), ['email']);
    assert.deepEqual(await present('instructor-only-names'), ['name', 'given_name', 'family_name']);
    assert.deepEqual(await present('instructor'), ['name', 'given_name', 'family_name', 'email', 'picture']);
  });

  it('sends roles verbatim: empty, short, unknown and multiple', async () => {
    const roles = async (userId: string) => (await issue(h.emulator, h.tool, { userId })).claims[CLAIM.roles];
    assert.deepEqual(await roles('no-role'), []);
    assert.deepEqual(await roles('short-role'), ['Instructor']);
    assert.deepEqual(await roles('unknown-role'), ['http://example.org/vocab/roles#Wizard']);
    assert.equal(((await roles('multiple-roles')) as string[]).length, 4);
    assert.deepEqual((await issue(h.emulator, h.tool, { userId: 'mentor' })).claims[CLAIM.roleScopeMentor], ['student']);
  });

  it('omits context and service claims for a launch without context, and sends aud as an array with azp on request', async () => {
    const { claims } = await issue(h.emulator, h.tool, { contextId: null, audience: 'array' });
    assert.equal(claims[CLAIM.context], undefined);
    assert.equal(claims[CLAIM.agsEndpoint], undefined);
    assert.equal(claims[CLAIM.nrps], undefined);
    assert.deepEqual(claims.aud, [h.tool.clientId]);
    assert.equal(claims.azp, h.tool.clientId);
  });

  it('offers only the services the tool was granted', async () => {
    const agsOnly = h.emulator.registerTool({
      initiateLoginUri: h.stub.loginUrl,
      redirectUris: [h.stub.launchUrl],
      jwksUri: h.stub.jwksUrl,
      scopes: [SCOPE.score],
    });
    const { claims } = await issue(h.emulator, agsOnly);
    assert.deepEqual((claims[CLAIM.agsEndpoint] as { scope: string[] }).scope, [SCOPE.score]);
    assert.equal(claims[CLAIM.nrps], undefined);
  });

  it('rotates keys: the new key signs, the old one stays published until retired', async () => {
    const oldKid = h.emulator.jwks().keys[0]?.kid as string;
    const newKid = await h.emulator.rotateKeys();
    const { header, idToken } = await issue(h.emulator, h.tool);
    assert.equal(header.kid, newKid);
    await verify(idToken);
    assert.deepEqual(
      h.emulator.jwks().keys.map((k) => k.kid),
      [oldKid, newKid],
    );
    assert.equal(h.emulator.retireKey(newKid), false, 'the signing key cannot be retired');
    assert.equal(h.emulator.retireKey(oldKid), true);
    assert.deepEqual(
      h.emulator.jwks().keys.map((k) => k.kid),
      [newKid],
    );
  });

  it('refuses launches it cannot make, before any browser is involved', async () => {
    const launch = (input: Record<string, unknown>) => h.emulator.launch({ clientId: h.tool.clientId, ...input });
    await assert.rejects(h.emulator.launch({ clientId: 'nope' }), /unknown tool/);
    await assert.rejects(launch({ userId: 'nobody' }), /unknown user nobody/);
    await assert.rejects(launch({ deploymentId: 'elsewhere' }), /not a deployment/);
    await assert.rejects(launch({ messageType: 'LtiSubmissionReviewRequest' }), /needs lineItemId/);
    await assert.rejects(launch({ tamper: ['no-such-tamper'] }), /unknown tamper "no-such-tamper"/);
    await assert.rejects(
      launch({ messageType: 'LtiDeepLinkingRequest', tamper: ['missing-resource-link-id'] }),
      /tamper missing-resource-link-id: the message has no/,
    );
  });
});
