import assert from 'node:assert/strict';
import { decodeEntities } from './browser/html-form.js';
import { UserAgent } from './browser/user-agent.js';
import { type LtiEmulator, startLtiEmulator } from './emulator/start-emulator.js';
import type { ToolRegistration } from './emulator/state/tool-registry.js';
import { type LtijsPeer, startLtijsPeer } from './peers/ltijs/start-ltijs-peer.js';
import { createThrowawayDatabase, postgresReachable, type ThrowawayDatabase } from './peers/ltijs/throwaway-database.js';

/** ltijs's own view of a launch, as its launch page prints it (peers/ltijs/ltijs-tool.ts). */
interface LtijsView {
  iss: string;
  clientId: string;
  deploymentId: string;
  user: string;
  userInfo: { name?: string; given_name?: string; family_name?: string; email?: string };
  messageType: string;
  roles: string[];
  context?: { id: string; title?: string };
  resource?: { id: string; title?: string };
  targetLinkUri?: string;
  custom?: Record<string, string>;
  endpoint?: { lineitems?: string; scope: string[] };
  namesRoles?: { context_memberships_url: string };
  query: Record<string, string>;
  ltik: string;
}

function ltijsView(html: string): LtijsView {
  const m = /<pre id="launch">([\s\S]*?)<\/pre>/.exec(html);
  assert.ok(m, `not an ltijs launch page:\n${html.slice(0, 500)}`);
  return JSON.parse(decodeEntities(m[1] as string)) as LtijsView;
}

const SERVER_URL = process.env.LTIJS_PEER_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('ltijs 5.9 (an independent LTI 1.3 tool, own process, PostgreSQL) launched from the platform emulator', function () {
  this.timeout(120_000);
  let database: ThrowawayDatabase | undefined;
  let peer: LtijsPeer | undefined;
  let emulator: LtiEmulator;
  let tool: ToolRegistration;

  before(async () => {
    // ltijs has no embedded store: this peer always needs a PostgreSQL server, even when EdHub's own
    // tests run on PGlite. Not finding one is a failure, never a silent skip (.ci/run starts it first).
    if (!(await postgresReachable(SERVER_URL))) {
      throw new Error(`PostgreSQL is not reachable at ${SERVER_URL} (the ltijs peer needs it; set LTIJS_PEER_DATABASE_URL to point elsewhere)`);
    }
    database = await createThrowawayDatabase(SERVER_URL);
    emulator = await startLtiEmulator();
    peer = await startLtijsPeer(database);
    tool = emulator.registerTool({
      name: 'ltijs',
      clientId: 'ltijs-peer',
      initiateLoginUri: peer.loginUrl,
      redirectUris: [peer.launchUrl],
      jwksUri: peer.jwksUrl,
      deployments: ['ltijs-deployment-1'],
    });
    await peer.registerPlatform({
      url: emulator.issuer,
      name: 'EdHub platform emulator',
      clientId: tool.clientId,
      authenticationEndpoint: emulator.endpoints.authorization,
      accesstokenEndpoint: emulator.endpoints.token,
      authConfig: { method: 'JWK_SET', key: emulator.endpoints.jwks },
    });
  });

  after(async () => {
    await peer?.close();
    await emulator?.close();
    await database?.drop();
  });

  /** One browser through a full launch: the emulator's login initiation URL → ltijs login → emulator auth → form POST → ltijs app. */
  async function launch(input: Parameters<LtiEmulator['launch']>[0]) {
    const browser = new UserAgent();
    const ticket = await emulator.launch(input);
    const page = await browser.navigate(ticket.loginUrl);
    return { browser, page, ticket };
  }

  it('completes a resource link launch, and ltijs renders the user, roles, context, link and services from the id_token', async () => {
    const { browser, page } = await launch({ clientId: tool.clientId, userId: 'instructor', custom: { user_ref: '$User.id', colour: 'blue' } });

    const origin = (u: string) => new URL(u).origin;
    assert.deepEqual(
      browser.steps.map((s) => [s.method, origin(s.url) === emulator.url ? 'emulator' : 'ltijs', new URL(s.url).pathname, s.status]),
      [
        ['GET', 'ltijs', '/login', 302], // login initiation → redirect to the platform's auth endpoint
        ['GET', 'emulator', '/lti/auth', 200], // auth request accepted → auto-submitting form
        ['POST', 'ltijs', '/', 302], // id_token + state accepted → ltijs redirects with its ltik
        ['GET', 'ltijs', '/', 200], // the launch page
      ],
    );
    assert.match(page.body, /<p id="user">Ada Lovelace<\/p>/);
    const view = ltijsView(page.body);
    assert.equal(view.iss, emulator.issuer);
    assert.equal(view.clientId, 'ltijs-peer');
    assert.equal(view.deploymentId, 'ltijs-deployment-1');
    assert.equal(view.user, 'instructor');
    assert.deepEqual(view.userInfo, { given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace', email: 'ada.lovelace@example.edu' });
    assert.equal(view.messageType, 'LtiResourceLinkRequest');
    assert.deepEqual(view.roles, [
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty',
    ]);
    assert.equal(view.context?.id, 'course-101');
    assert.equal(view.resource?.id, 'rl-week-1');
    assert.equal(view.targetLinkUri, peer?.launchUrl);
    assert.deepEqual(view.custom, { user_ref: 'instructor', colour: 'blue' });
    assert.equal(view.endpoint?.lineitems, emulator.endpoints.lineItems('course-101'));
    assert.equal(view.namesRoles?.context_memberships_url, emulator.endpoints.memberships('course-101'));
  });

  it('launches users without personal data and with an unknown role', async () => {
    const noPii = ltijsView((await launch({ clientId: tool.clientId, userId: 'student-no-pii' })).page.body);
    assert.equal(noPii.user, 'student-no-pii');
    assert.deepEqual(noPii.userInfo, {});
    const unknownRole = ltijsView((await launch({ clientId: tool.clientId, userId: 'unknown-role' })).page.body);
    assert.deepEqual(unknownRole.roles, ['http://example.org/vocab/roles#Wizard']);
  });

  it('is refused by ltijs when the emulator breaks the launch (foreign signature, wrong version, azp mismatch, HS256 with the public key)', async () => {
    for (const [tamper, message] of [
      ['foreign-signature', 'invalid signature'],
      ['wrong-version', 'WRONG_LTI_VERSION_CLAIM'],
      ['azp-mismatch', 'AZP_DOES_NOT_MATCH_CLIENTID'],
      // ltijs takes alg from the header (lti.md §14.4); jsonwebtoken 9 is what stops the algorithm confusion.
      ['hs256-public-key', 'secretOrPublicKey must be a symmetric key when using HS256'],
    ] as const) {
      const { page } = await launch({ clientId: tool.clientId, tamper: [tamper] });
      assert.equal(page.status, 401, tamper);
      const body = JSON.parse(page.body) as { refusedBy: string; err: { details: { message: string } } };
      assert.equal(body.refusedBy, 'ltijs');
      assert.equal(body.err.details.message, message, tamper);
    }
  });

  it('reads the roster through NRPS with an access token from the emulator, requested with its own client assertion', async () => {
    const { browser, page } = await launch({ clientId: tool.clientId });
    const { ltik } = ltijsView(page.body);
    const res = await browser.request(`${peer?.url}/nrps?ltik=${encodeURIComponent(ltik)}`);
    assert.equal(res.status, 200, res.body);
    const roster = JSON.parse(res.body) as { members: { user_id: string; roles: string[]; name?: string; status: string }[] };
    assert.equal(roster.members.length, emulator.directory.context('course-101')?.members.length);
    assert.deepEqual(
      roster.members.find((m) => m.user_id === 'student'),
      {
        status: 'Active',
        user_id: 'student',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'],
        name: 'Alan Turing',
        given_name: 'Alan',
        family_name: 'Turing',
        email: 'alan.turing@example.edu',
        lis_person_sourcedid: 'student-alan',
      },
    );
  });

  it('creates a line item, posts a score and reads the result back through AGS', async () => {
    const { browser, page } = await launch({ clientId: tool.clientId, userId: 'student' });
    const { ltik } = ltijsView(page.body);
    const res = await browser.request(`${peer?.url}/ags?ltik=${encodeURIComponent(ltik)}`, { method: 'POST' });
    assert.equal(res.status, 200, res.body);
    const { lineItem, results } = JSON.parse(res.body) as {
      lineItem: { id: string; label: string; resourceLinkId: string };
      results: Record<string, unknown>[];
    };
    assert.equal(lineItem.label, 'ltijs quiz');
    assert.equal(lineItem.resourceLinkId, 'rl-week-1');
    assert.ok(lineItem.id.startsWith(emulator.endpoints.lineItems('course-101')));
    assert.deepEqual(
      results.map(({ userId, resultScore, resultMaximum }) => ({ userId, resultScore, resultMaximum })),
      [{ userId: 'student', resultScore: 7, resultMaximum: 10 }],
    );
    const stored = emulator.lineItems('course-101', tool.clientId).find((i) => i.label === 'ltijs quiz');
    assert.ok(stored);
    assert.deepEqual(
      emulator
        .scores(stored.id)
        .map(({ userId, scoreGiven, activityProgress, gradingProgress }) => ({ userId, scoreGiven, activityProgress, gradingProgress })),
      [{ userId: 'student', scoreGiven: 7, activityProgress: 'Completed', gradingProgress: 'FullyGraded' }],
    );
  });

  it('completes a deep linking launch: ltijs returns a resource link the emulator verifies and creates, and that link launches into ltijs', async () => {
    const { browser, page, ticket } = await launch({ clientId: tool.clientId, messageType: 'LtiDeepLinkingRequest' });
    assert.equal(page.status, 200, page.body);
    assert.equal(new URL(page.url).pathname, `/lti/deep-linking/return/${ticket.id}`);
    assert.match(page.body, /Deep Linking response accepted/);
    assert.deepEqual(
      browser.steps.map((s) => [s.method, new URL(s.url).pathname]),
      [
        ['GET', '/login'],
        ['GET', '/lti/auth'],
        ['POST', '/'],
        ['GET', '/'], // ltijs's onDeepLinking answers with its auto-submitting response form
        ['POST', `/lti/deep-linking/return/${ticket.id}`],
      ],
    );
    const result = emulator.deepLinkingResults().find((r) => r.launchId === ticket.id);
    assert.ok(result);
    assert.equal(result.msg, 'ltijs picked one chapter');
    assert.equal(result.contentItems.length, 1);
    assert.equal(result.contentItems[0]?.type, 'ltiResourceLink');
    const linkId = result.createdResourceLinks[0] as string;
    assert.equal(emulator.directory.resourceLink(linkId)?.title, 'ltijs chapter 1');
    assert.equal(emulator.lineItems('course-101', tool.clientId).find((i) => i.resourceLinkId === linkId)?.label, 'Chapter 1 quiz');

    const chapter = ltijsView((await launch({ clientId: tool.clientId, resourceLinkId: linkId, userId: 'student' })).page.body);
    assert.equal(chapter.resource?.id, linkId);
    assert.equal(chapter.targetLinkUri, `${peer?.url}/?chapter=1`);
    assert.deepEqual(chapter.custom, { chapter: '1' });
    assert.equal(chapter.query.chapter, '1');
  });

  it("registers itself through the emulator's Dynamic Registration, then launches under the client_id the emulator issued", async () => {
    const browser = new UserAgent();
    const { url } = emulator.startDynamicRegistration(peer?.registrationUrl as string);
    const page = await browser.navigate(url);
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /org\.imsglobal\.lti\.close/);
    const registered = emulator.tools().find((t) => t.registeredBy === 'dynamic-registration');
    assert.ok(registered);
    assert.equal(registered.name, 'ltijs peer');
    assert.equal(registered.initiateLoginUri, peer?.loginUrl);
    assert.deepEqual(
      registered.messages.map((m) => m.type),
      ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
    );

    const view = ltijsView((await launch({ clientId: registered.clientId, userId: 'student' })).page.body);
    assert.equal(view.clientId, registered.clientId);
    assert.equal(view.deploymentId, registered.deployments[0]);
    assert.equal(view.userInfo.name, 'Alan Turing');
  });
});
