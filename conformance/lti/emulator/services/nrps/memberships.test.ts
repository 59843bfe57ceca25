import assert from 'node:assert/strict';
import { type Harness, serviceToken, startHarness } from '../../../testing/harness.js';
import { MEDIA_TYPE, SCOPE } from '../../vocabulary.js';

/** RFC 8288 Link header → rel → URL. */
function links(header: string | null): Record<string, string> {
  return Object.fromEntries([...(header ?? '').matchAll(/<([^>]+)>;\s*rel="([^"]+)"/g)].map((m) => [m[2] as string, m[1] as string]));
}

describe('emulator NRPS context memberships (NRPS 2.0 §2; lti.md §9)', () => {
  let h: Harness;
  let token: string;
  let url: string;

  before(async () => {
    h = await startHarness();
    token = await serviceToken(h, SCOPE.contextMembershipReadOnly);
    url = h.emulator.endpoints.memberships('course-101');
    h.emulator.directory.putResourceLink({ id: 'rl-custom', contextId: 'course-101', title: 'With custom', custom: { uid: '$User.id', fixed: 'x' } });
  });
  after(() => h.close());

  const get = async (target: string, headers: Record<string, string> = {}) => {
    const res = await fetch(target, { headers: { authorization: `Bearer ${token}`, accept: MEDIA_TYPE.membershipContainer, ...headers } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as { members: Record<string, unknown>[]; context: unknown; error?: string } };
  };

  it('answers with the membership container media type, the context and every member', async () => {
    const res = await get(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), MEDIA_TYPE.membershipContainer);
    assert.deepEqual(res.body.context, { id: 'course-101', label: 'INT101', title: 'Introduction to Interoperability' });
    assert.equal(res.body.members.length, 10);
    assert.deepEqual(
      res.body.members.find((m) => m.user_id === 'student-no-pii'),
      { status: 'Active', user_id: 'student-no-pii', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] },
    );
    assert.ok(links(res.headers.get('link')).differences);
  });

  it('pages with limit and Link rel="next" until the last page', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${url}?limit=4`;
    let pages = 0;
    while (next) {
      const res = await get(next);
      assert.ok(res.body.members.length <= 4);
      seen.push(...res.body.members.map((m) => m.user_id as string));
      next = links(res.headers.get('link')).next;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 10);
  });

  it('filters by role, full URI or short context role name', async () => {
    const learners = await get(`${url}?role=${encodeURIComponent('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner')}`);
    assert.deepEqual(learners.body.members.map((m) => m.user_id).sort(), ['student', 'student-no-pii', 'student-only-email']);
    const instructors = await get(`${url}?role=Instructor`);
    assert.deepEqual(instructors.body.members.map((m) => m.user_id).sort(), ['instructor', 'instructor-only-names', 'multiple-roles', 'short-role']);
  });

  it("adds each member's message claims for a resource link (rlid), with variables substituted per member", async () => {
    const res = await get(`${url}?rlid=rl-custom&role=Learner`);
    const student = res.body.members.find((m) => m.user_id === 'student');
    assert.deepEqual(student?.message, [
      {
        'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
        'https://purl.imsglobal.org/spec/lti/claim/custom': { uid: 'student', fixed: 'x' },
      },
    ]);
    assert.equal((await get(`${url}?rlid=rl-elsewhere`)).status, 400);
  });

  it('reports membership changes at the differences URL, Deleted included', async () => {
    const first = await get(url);
    const differences = links(first.headers.get('link')).differences as string;
    await new Promise((r) => setTimeout(r, 5));
    h.emulator.directory.putUser({ id: 'newcomer', name: 'New Comer', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] });
    h.emulator.directory.setMembership('course-101', 'newcomer', 'Active');
    h.emulator.directory.setMembership('course-101', 'mentor', 'Deleted');
    h.emulator.directory.setMembership('course-101', 'no-role', 'Inactive');
    const delta = await get(differences);
    assert.deepEqual(
      delta.body.members.map((m) => [m.user_id, m.status]),
      [
        ['newcomer', 'Active'],
        ['mentor', 'Deleted'],
        ['no-role', 'Inactive'],
      ],
    );
    const now = await get(url);
    assert.equal(now.body.members.find((m) => m.user_id === 'no-role')?.status, 'Inactive');
    assert.equal(
      now.body.members.some((m) => m.user_id === 'mentor'),
      false,
    );
  });

  it('accepts the legacy media type in Accept, refuses an unacceptable one with 406', async () => {
    assert.equal((await get(url, { accept: MEDIA_TYPE.legacyMembershipContainer })).status, 200);
    const refused = await get(url, { accept: 'text/csv' });
    assert.equal(refused.status, 406);
    assert.equal(refused.body.error, 'not_acceptable');
  });

  it('requires a valid token holding the membership scope (RFC 6750 §3.1)', async () => {
    const none = await fetch(url);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const scoreOnly = await serviceToken(h, SCOPE.score);
    const narrow = await fetch(url, { headers: { authorization: `Bearer ${scoreOnly}` } });
    assert.equal(narrow.status, 403);
    assert.equal(narrow.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="${SCOPE.contextMembershipReadOnly}"`);
    assert.equal((await fetch(h.emulator.endpoints.memberships('no-such-course'), { headers: { authorization: `Bearer ${token}` } })).status, 404);
  });

  it('refuses an expired access token with invalid_token', async () => {
    const doomed = await serviceToken(h, SCOPE.contextMembershipReadOnly);
    h.emulator.expireAccessTokens(h.tool.clientId);
    const res = await fetch(url, { headers: { authorization: `Bearer ${doomed}` } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'invalid_token', error_description: 'the access token is expired' });
    token = await serviceToken(h, SCOPE.contextMembershipReadOnly);
  });

  it('answers with the legacy lis.v2 media type when configured like older Canvas and Moodle', async () => {
    const legacy = await startHarness({ nrpsMediaType: 'legacy' });
    try {
      const t = await serviceToken(legacy, SCOPE.contextMembershipReadOnly);
      const res = await fetch(legacy.emulator.endpoints.memberships('course-101'), { headers: { authorization: `Bearer ${t}` } });
      assert.equal(res.headers.get('content-type'), MEDIA_TYPE.legacyMembershipContainer);
    } finally {
      await legacy.close();
    }
  });
});
