import assert from 'node:assert/strict';
import { type LtiEmulator, startLtiEmulator } from '../../../conformance/lti/emulator/index.js';
import { CLAIM } from '../claims.js';
import { fetchMemberships, type MembershipPage } from './nrps.js';
import { LtiServiceError } from './service-errors.js';
import { json, type ScriptedPlatform, startScriptedPlatform } from './testing/scripted-platform.js';
import { all, COURSE, LINK, type ServicesHarness, startServicesHarness } from './testing/services-harness.js';
import { MEDIA_TYPE } from './vocabulary.js';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

/** NRPS 2.0 (fact sheet §9) against the platform emulator, and against a scripted hostile platform. */
describe('NRPS 2.0 context memberships (tool side)', function () {
  this.timeout(60_000);
  let h: ServicesHarness;
  let scripted: ScriptedPlatform;
  let legacy: LtiEmulator;
  before(async () => {
    h = await startServicesHarness();
    scripted = await startScriptedPlatform();
    legacy = await startLtiEmulator({ nrpsMediaType: 'legacy' });
  });
  after(async () => {
    await legacy.close();
    await scripted.close();
    await h.close();
  });

  const members = (pages: MembershipPage[]) => pages.flatMap((p) => p.members);
  const enrolled = () => h.emulator.directory.context(COURSE)?.members ?? [];
  async function rejects(p: Promise<unknown>, code: string, message: RegExp) {
    await assert.rejects(p, (err: unknown) => err instanceof LtiServiceError && err.code === code && message.test(err.message));
  }

  it('follows Link rel="next" to the last page, merging role/limit into the URL\'s own query string', async () => {
    const url = `${h.emulator.endpoints.memberships(COURSE)}?memberships=17387`;
    const pages = await all(fetchMemberships(h.client(), url, { limit: 3 }));
    assert.deepEqual(
      pages.map((p) => [p.number, p.members.length]),
      [
        [1, 3],
        [2, 3],
        [3, 3],
        [4, 1],
      ],
    );
    for (const p of pages) {
      const q = new URL(p.url).searchParams;
      assert.deepEqual([q.get('memberships'), q.get('limit')], ['17387', '3'], p.url);
    }
    assert.ok(pages[0]?.url.startsWith(`${url}&limit=3`), 'the existing query text is kept as it was');
    assert.deepEqual(
      members(pages)
        .map((m) => m.userId)
        .sort(),
      [...enrolled()].sort(),
    );
    assert.deepEqual(pages[0]?.context, { id: COURSE, label: 'INT101', title: 'Introduction to Interoperability' });
    assert.ok(members(pages).every((m) => m.status === 'Active' && Array.isArray(m.roles)));
    assert.deepEqual(
      members(pages).find((m) => m.userId === 'student-only-email'),
      {
        userId: 'student-only-email',
        roles: [LEARNER],
        status: 'Active',
        email: (h.emulator.directory.user('student-only-email')?.email as string) ?? '',
      },
    );
    assert.ok(pages.every((p) => p.problems.length === 0));
    assert.match(pages.at(-1)?.differencesUrl ?? '', /\/memberships\?since=\d+$/);
  });

  it('filters by role, and with rlid gives each member the message claims of that resource link', async () => {
    const learners = members(await all(fetchMemberships(h.client(), h.emulator.endpoints.memberships(COURSE), { role: LEARNER })));
    assert.deepEqual(learners.map((m) => m.userId).sort(), ['student', 'student-no-pii', 'student-only-email']);
    const withMessages = members(await all(fetchMemberships(h.client(), h.emulator.endpoints.memberships(COURSE), { rlid: LINK })));
    assert.equal(withMessages.length, enrolled().length);
    assert.ok(withMessages.every((m) => m.messages?.[0]?.[CLAIM.messageType] === 'LtiResourceLinkRequest'));
  });

  it('fetches only what changed since the last fetch through the differences link, Deleted members included', async () => {
    const first = await all(fetchMemberships(h.client(), h.emulator.endpoints.memberships(COURSE)));
    const differences = first.at(-1)?.differencesUrl as string;
    h.advance(1000);
    h.emulator.directory.setMembership(COURSE, 'student', 'Deleted');
    h.emulator.directory.setMembership(COURSE, 'student-no-pii', 'Inactive');
    const changes = await all(fetchMemberships(h.client(), differences));
    assert.deepEqual(
      members(changes)
        .map((m) => [m.userId, m.status])
        .sort(),
      [
        ['student', 'Deleted'],
        ['student-no-pii', 'Inactive'],
      ],
    );
    assert.notEqual(changes.at(-1)?.differencesUrl, differences, 'each fetch hands out the link for the next one');
    h.emulator.directory.setMembership(COURSE, 'student', 'Active');
    h.emulator.directory.setMembership(COURSE, 'student-no-pii', 'Active');
  });

  it('accepts the legacy lis.v2 membership container media type (older Canvas and Moodle), sending Accept for both', async () => {
    const tool = legacy.registerTool({
      initiateLoginUri: 'http://127.0.0.1:9/l',
      redirectUris: ['http://127.0.0.1:9/r'],
      jwks: h.tool.jwks as NonNullable<typeof h.tool.jwks>,
    });
    const reg = await h.register({ clientId: tool.clientId, tokenUrl: legacy.endpoints.token, issuer: legacy.issuer });
    const pages = await all(fetchMemberships(h.services.client(reg), legacy.endpoints.memberships(COURSE)));
    assert.equal(members(pages).length, 10);

    const scriptedReg = await h.register({ clientId: 'nrps-headers', tokenUrl: scripted.tokenUrl, issuer: scripted.origin });
    scripted.answer = () => json(200, { id: 'x', context: { id: 'c' }, members: [] }, { 'Content-Type': MEDIA_TYPE.legacyMembershipContainer });
    await all(fetchMemberships(h.services.client(scriptedReg), scripted.url('/nrps')));
    const accept = scripted.serviceRequests().at(-1)?.headers.accept ?? '';
    assert.ok(accept.includes(MEDIA_TYPE.membershipContainer) && accept.includes(MEDIA_TYPE.legacyMembershipContainer), accept);
  });

  describe('a hostile or broken platform', () => {
    let client: ReturnType<ServicesHarness['client']>;
    before(async () => {
      client = h.services.client(await h.register({ clientId: 'hostile-nrps', tokenUrl: scripted.tokenUrl, issuer: scripted.origin }));
    });
    const page = (body: unknown, headers: Record<string, string> = {}) => json(200, body, { 'Content-Type': MEDIA_TYPE.membershipContainer, ...headers });

    it('reports each malformed member with a JSON pointer and keeps the valid ones', async () => {
      scripted.answer = () =>
        page({
          context: { id: 'c1' },
          members: [
            { user_id: 'ok-1', roles: [LEARNER] },
            { roles: [LEARNER] },
            { user_id: 'bad-roles', roles: 'Learner' },
            { user_id: 'bad-status', roles: [], status: 'Suspended' },
            'not an object',
            { user_id: 'ok-2', roles: [], status: 'Inactive', email: 42 },
          ],
        });
      const [only] = await all(fetchMemberships(client, scripted.url('/nrps')));
      assert.deepEqual(
        only?.members.map((m) => [m.userId, m.status]),
        [
          ['ok-1', 'Active'],
          ['ok-2', 'Inactive'],
        ],
      );
      assert.deepEqual(
        only?.problems.map((p) => p.pointer),
        ['/members/1/user_id', '/members/2/roles', '/members/3/status', '/members/4', '/members/5/email'],
      );
    });

    it('refuses a body that is not JSON, an HTML page, and a container without members', async () => {
      scripted.answer = () => ({ status: 200, headers: { 'Content-Type': MEDIA_TYPE.membershipContainer }, body: '{"members": [' });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'))), 'response-invalid', /the body is not JSON/);
      scripted.answer = () => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<html>Log in</html>' });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'))), 'response-invalid', /Content-Type text\/html is not/);
      scripted.answer = () => page({ context: { id: 'c' } });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'))), 'response-invalid', /members is not an array/);
      const logged = (await h.calls()).filter((c) => c.service === 'nrps.memberships' && c.url.startsWith(scripted.origin));
      assert.ok(logged.slice(-3).every((c) => c.outcome === 'invalid-response' && c.status === 200));
    });

    it('refuses an oversized page without reading it all', async () => {
      scripted.answer = () => page({ members: [], padding: 'x'.repeat(1.1 * 2 ** 20) });
      await assert.rejects(
        all(fetchMemberships(client, scripted.url('/nrps'))),
        (e: unknown) => e instanceof LtiServiceError && e.code === 'transport' && e.details.transport === 'too-large',
      );
    });

    it('refuses a next link to another origin (the bearer token would follow it), a loop, and too many pages', async () => {
      scripted.answer = () => page({ members: [] }, { Link: '<http://127.0.0.2:1/steal>; rel="next"' });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'))), 'link-refused', /leaves the service origin .* for http:\/\/127\.0\.0\.2:1/);
      scripted.answer = () => page({ members: [] }, { Link: '</nrps?page=1>; rel="next"' });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps?page=1'))), 'link-refused', /already read/);
      let n = 0;
      scripted.answer = () => page({ members: [] }, { Link: `</nrps?page=${++n}>; rel="next"` });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'), { maxPages: 5 })), 'paging-limit', /more than 5 pages/);
      scripted.answer = () => page({ members: [] }, { Link: '<https://lms.example/elsewhere>; rel="differences"' });
      await rejects(all(fetchMemberships(client, scripted.url('/nrps'))), 'link-refused', /rel="differences" leaves/);
    });

    it("names the platform's refusal: 403 insufficient_scope is `forbidden` with its error", async () => {
      scripted.answer = () => json(403, { error: 'insufficient_scope', error_description: 'needs contextmembership.readonly' });
      await assert.rejects(
        all(fetchMemberships(client, scripted.url('/nrps'))),
        (e: unknown) => e instanceof LtiServiceError && e.code === 'forbidden' && e.details.platformError === 'insufficient_scope' && e.details.status === 403,
      );
    });
  });
});
