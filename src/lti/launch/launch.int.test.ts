import assert from 'node:assert/strict';
import { importPackage } from '../../oneroster/csv/import/import-package.js';
import type { TenantId } from '../../tenancy/ids.js';
import { ltiLaunch, ltiLogin, ROLE, startTestPlatform, type TestPlatform, type TokenOptions } from '../../testing/lti-test-platform.js';
import { memoryPackage } from '../../testing/memory-package.js';
import { samplePackage } from '../../testing/oneroster-sample.js';
import { cliContext, type TestApp, testApp } from '../../testing/test-app.js';
import { CLAIM } from '../claims.js';
import { LTI_ERRORS, type LtiErrorCode } from '../errors.js';

/**
 * LTI 1.3 launches end to end through the HTTP app: OIDC login → authentication request → the
 * platform's form post → every check of the fact sheet's checklist (§3) → landing page. The invalid
 * cases are the certification-style cases of §12.1 plus the lessons of §14; each asserts the exact
 * check and code that failed, on the error page and in exactly one log line.
 */
describe('LTI 1.3 launch (login → launch → landing)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let platform: TestPlatform;
  let tenantId: TenantId;

  before(async () => {
    t = await testApp({ outboundAllow: ['127.0.0.0/8'] });
    tenantId = (await t.tenantWithAdmin('Springfield USD')).tenantId;
    platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
    await platform.register(t, tenantId);
  });
  after(async () => {
    await platform.close();
    await t.close();
  });

  /** Login, then a launch with a token built from `options` (the nonce of the login unless given). */
  async function launchWith(options: TokenOptions = {}, loginParams: Record<string, string> = {}) {
    const login = await ltiLogin(t.http, platform, loginParams);
    const idToken = await platform.idToken({ nonce: login.nonce, ...options });
    return ltiLaunch(t.http, { id_token: idToken, state: login.state }, login.cookie);
  }

  /** The request failed at `code`: its status, the page naming it, and exactly one log line naming check and code. */
  async function expectFailure(request: () => Promise<{ status: number; text: string }>, code: LtiErrorCode) {
    const mark = t.logs.length;
    const res = await request();
    assert.equal(res.status, LTI_ERRORS[code].status, `status for ${code}: ${res.text.slice(0, 300)}`);
    assert.match(res.text, new RegExp(`id="lti-error-code">${code}<|^\\{"error":"${code}"`));
    const lines = t.logs
      .slice(mark)
      .map((l) => JSON.parse(l) as { lti?: { code?: string; check?: string }; msg: string })
      .filter((l) => l.lti?.code);
    assert.equal(lines.length, 1, `one log line names the failure: ${JSON.stringify(lines)}`);
    assert.equal(lines[0]?.lti?.code, code);
    assert.equal(lines[0]?.lti?.check, LTI_ERRORS[code].check);
    assert.equal(lines[0]?.msg, `LTI ${LTI_ERRORS[code].check} check failed: ${code}`);
    return res;
  }

  describe('OIDC login initiation (SEC §5.1.1; fact sheet §2)', () => {
    it('redirects to the platform with the §2.2 parameters, echoing the hints, and binds the state with a SameSite=None; Secure cookie', async () => {
      const res = await t.http
        .get('/lti/login')
        .query({
          iss: platform.issuer,
          login_hint: 'opaque login hint',
          target_link_uri: `${t.config.baseUrl}/lti/launch`,
          lti_message_hint: 'opaque message hint',
          client_id: platform.clientId,
        })
        .expect(302);
      const location = new URL(res.headers.location as string);
      assert.equal(`${location.origin}${location.pathname}`, platform.authUrl);
      const q = Object.fromEntries(location.searchParams);
      assert.equal(q.scope, 'openid');
      assert.equal(q.response_type, 'id_token');
      assert.equal(q.response_mode, 'form_post');
      assert.equal(q.prompt, 'none');
      assert.equal(q.client_id, platform.clientId);
      assert.equal(q.redirect_uri, `${t.config.baseUrl}/lti/launch`);
      assert.equal(q.login_hint, 'opaque login hint');
      assert.equal(q.lti_message_hint, 'opaque message hint');
      assert.match(q.state as string, /^[A-Za-z0-9_-]{43}$/);
      assert.match(q.nonce as string, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(q.state, q.nonce);
      const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
      assert.match(
        cookie,
        /^edhub_lti_state_[A-Za-z0-9_-]{22}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/lti\/launch; HttpOnly; Secure; SameSite=None; Partitioned$/,
      );
      assert.equal(cookie.split(';')[0]?.split('=')[1], q.state);
    });

    it('stores state and nonce only as hashes, in the database (any instance can finish the launch)', async () => {
      const login = await ltiLogin(t.http, platform);
      const rows = await t.database.db.selectFrom('lti_login_states').selectAll().execute();
      const text = JSON.stringify(rows.map((r) => [r.state_hash.toString('hex'), r.nonce_hash.toString('hex')]));
      assert.ok(rows.length > 0);
      assert.ok(!text.includes(login.state) && !text.includes(login.nonce));
      assert.ok(rows.every((r) => r.state_hash.length === 32 && r.expires_at.getTime() - r.created_at.getTime() === 600_000));
    });

    it('accepts the login as a form POST too', async () => {
      const res = await t.http
        .post('/lti/login')
        .type('form')
        .send({ iss: platform.issuer, login_hint: 'u', target_link_uri: `${t.config.baseUrl}/lti/launch`, client_id: platform.clientId })
        .expect(302);
      assert.match(res.headers.location as string, /^http:\/\/127\.0\.0\.1:\d+\/auth\?scope=openid&/);
    });

    it('finds the registration by issuer alone when there is only one, and refuses an ambiguous issuer without client_id', async () => {
      const one = await t.http.get('/lti/login').query({ iss: platform.issuer, login_hint: 'u', target_link_uri: `${t.config.baseUrl}/lti/launch` });
      assert.equal(one.status, 302);
      const second = await platform.register(t, tenantId, { clientId: 'edhub-client-2', deployments: ['deployment-2'] });
      try {
        await expectFailure(
          () => t.http.get('/lti/login').query({ iss: platform.issuer, login_hint: 'u', target_link_uri: `${t.config.baseUrl}/lti/launch` }),
          'registration-ambiguous',
        );
        // lti_deployment_id disambiguates (fact sheet §13)
        const byDeployment = await t.http
          .get('/lti/login')
          .query({ iss: platform.issuer, login_hint: 'u', target_link_uri: `${t.config.baseUrl}/lti/launch`, lti_deployment_id: 'deployment-2' });
        assert.equal(new URL(byDeployment.headers.location as string).searchParams.get('client_id'), 'edhub-client-2');
      } finally {
        await t.database.db.deleteFrom('lti_platforms').where('id', '=', second).execute();
      }
    });

    it('refuses missing or repeated parameters, unknown platforms and foreign target_link_uris', async () => {
      const base = { iss: platform.issuer, login_hint: 'u', target_link_uri: `${t.config.baseUrl}/lti/launch`, client_id: platform.clientId };
      await expectFailure(() => t.http.get('/lti/login').query({ ...base, login_hint: undefined }), 'login-parameter-missing');
      await expectFailure(
        () => t.http.get(`/lti/login?iss=${encodeURIComponent(platform.issuer)}&iss=x&login_hint=u&target_link_uri=x`),
        'login-parameter-invalid',
      );
      await expectFailure(() => t.http.get('/lti/login').query({ ...base, iss: 'https://unknown.example' }), 'registration-unknown');
      await expectFailure(() => t.http.get('/lti/login').query({ ...base, client_id: 'someone-else' }), 'registration-unknown');
      await expectFailure(
        () => t.http.get('/lti/login').query({ ...base, target_link_uri: 'https://evil.example/lti/launch' }),
        'login-target-link-uri-not-allowed',
      );
    });
  });

  describe('a valid launch', () => {
    it('lands on a page showing who launched, from where, with which roles and context, and records user, identity, context, membership, link and session', async () => {
      const login = await ltiLogin(t.http, platform);
      const idToken = await platform.idToken({ nonce: login.nonce });
      const res = await ltiLaunch(t.http, { id_token: idToken, state: login.state }, login.cookie).expect(200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.text, /Welcome, Ada Lovelace/);
      assert.match(res.text, /Launched from <strong>Test LMS<\/strong> in <strong>Introduction to Biology<\/strong> as <strong>teacher<\/strong>/);
      assert.match(res.text, /<li title="http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership#Instructor">Instructor<\/li>/);
      assert.match(res.text, /ada@example\.edu/);
      // the state cookie is cleared, the page may be framed by the platform, and nothing is cached
      assert.match((res.headers['set-cookie'] as unknown as string[])[0] as string, /^edhub_lti_state_[A-Za-z0-9_-]{22}=; Max-Age=0/);
      assert.equal(res.headers['x-frame-options'], undefined);
      assert.match(res.headers['content-security-policy'] as string, /frame-ancestors \*/);
      assert.equal(res.headers['cache-control'], 'no-store');

      const db = t.database.db;
      const identity = await db.selectFrom('lti_user_identities').selectAll().where('sub', '=', 'user-instructor-1').executeTakeFirstOrThrow();
      assert.deepEqual([identity.tenant_id, identity.issuer, identity.client_id], [tenantId, platform.issuer, platform.clientId]);
      const user = await db.selectFrom('lti_users').selectAll().where('id', '=', identity.user_id).executeTakeFirstOrThrow();
      assert.deepEqual([user.name, user.email, user.tenant_id], ['Ada Lovelace', 'ada@example.edu', tenantId]);
      const context = await db.selectFrom('lti_contexts').selectAll().where('context_id', '=', 'course-1').executeTakeFirstOrThrow();
      assert.deepEqual([context.title, context.label, context.deployment_id], ['Introduction to Biology', 'BIO 101', platform.deploymentId]);
      const membership = await db.selectFrom('lti_memberships').selectAll().where('context_id', '=', context.id).executeTakeFirstOrThrow();
      assert.deepEqual([membership.user_id, membership.kind, membership.roles], [user.id, 'teacher', [ROLE.instructor]]);
      const link = await db.selectFrom('lti_resource_links').selectAll().where('resource_link_id', '=', 'resource-link-1').executeTakeFirstOrThrow();
      assert.deepEqual([link.context_id, link.title], [context.id, 'Week 1 reading']);
      const session = await db.selectFrom('lti_launches').selectAll().orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual([session.user_id, session.context_id, session.resource_link_id, session.sub], [user.id, context.id, link.id, 'user-instructor-1']);
      assert.equal(session.expires_at.getTime() - session.created_at.getTime(), 3_600_000);

      // the launch token carries the session in a URL or a header
      const ltik = /ltik=([A-Za-z0-9._%-]+)/.exec(res.text)?.[1];
      assert.ok(ltik);
      const token = decodeURIComponent(ltik);
      const json = await t.http.get('/lti/session').set('Authorization', `Bearer ${token}`).expect(200);
      assert.equal(json.body.launchId, session.id);
      assert.equal(json.body.user.name, 'Ada Lovelace');
      assert.equal(json.body.platform.issuer, platform.issuer);
      assert.equal(json.body.context.title, 'Introduction to Biology');
      assert.equal(json.body.roleKind, 'teacher');
      const page = await t.http.get('/lti/landing').query({ ltik: token }).expect(200);
      assert.match(page.text, /Welcome, Ada Lovelace/);
    });

    it('a second launch of the same person reuses the user and keeps PII a later launch leaves out', async () => {
      const before = await t.database.db.selectFrom('lti_users').select('id').execute();
      assert.equal((await launchWith({ claims: { name: undefined, email: undefined, given_name: undefined, family_name: undefined } })).status, 200);
      const after = await t.database.db.selectFrom('lti_users').select(['id', 'email']).execute();
      assert.equal(after.length, before.length);
      assert.ok(after.some((u) => u.email === 'ada@example.edu'));
    });

    it('updates the context and resource link only with what a launch changes, keeping what it leaves out', async () => {
      const stored = () =>
        Promise.all([
          t.database.db.selectFrom('lti_contexts').select(['title', 'label', 'updated_at']).where('context_id', '=', 'course-1').executeTakeFirstOrThrow(),
          t.database.db
            .selectFrom('lti_resource_links')
            .select(['title', 'updated_at'])
            .where('resource_link_id', '=', 'resource-link-1')
            .executeTakeFirstOrThrow(),
        ]);
      assert.equal((await launchWith()).status, 200);
      const [context0, link0] = await stored();
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      assert.equal((await launchWith()).status, 200); // the same claims: nothing written
      const [context1, link1] = await stored();
      assert.equal(context1.updated_at.getTime(), context0.updated_at.getTime());
      assert.equal(link1.updated_at.getTime(), link0.updated_at.getTime());
      const renamed = { id: 'course-1', title: 'Biology, renamed' }; // no label: the stored one stays
      assert.equal((await launchWith({ claims: { [CLAIM.context]: renamed, [CLAIM.resourceLink]: { id: 'resource-link-1', title: 'Week 2' } } })).status, 200);
      const [context2, link2] = await stored();
      assert.deepEqual([context2.title, context2.label, link2.title], ['Biology, renamed', 'BIO 101', 'Week 2']);
      assert.ok(context2.updated_at.getTime() > context0.updated_at.getTime());
      // put the defaults back for the tests that follow
      assert.equal(
        (
          await launchWith({
            claims: {
              [CLAIM.context]: { id: 'course-1', title: 'Introduction to Biology' },
              [CLAIM.resourceLink]: { id: 'resource-link-1', title: 'Week 1 reading' },
            },
          })
        ).status,
        200,
      );
    });

    it("links the launch to the tenant's OneRoster user, class and enrollment by the LIS sourcedIds, and says why when it cannot", async () => {
      const imported = await importPackage(t.database.db, memoryPackage(samplePackage('1.2')), {
        tenantId,
        sourceName: 'sis.zip',
        ctx: cliContext,
        copyIn: t.database.copyIn,
      });
      assert.equal(imported.status, 'succeeded');
      const sessionOf = async (lis: Record<string, string>) => {
        const res = await launchWith({ claims: { [CLAIM.lis]: lis } });
        assert.equal(res.status, 200, res.text);
        const token = decodeURIComponent(/ltik=([A-Za-z0-9._%-]+)/.exec(res.text)?.[1] ?? '');
        return { page: res.text, session: (await t.http.get('/lti/session').set('Authorization', `Bearer ${token}`).expect(200)).body };
      };
      const linked = await sessionOf({ person_sourcedid: 'teacher-1', course_section_sourcedid: 'class-math-a' });
      assert.deepEqual(linked.session.roster.user, { sourcedId: 'teacher-1', givenName: 'Edna', familyName: 'Krabappel', roles: ['teacher'] });
      assert.equal(linked.session.roster.class.sourcedId, 'class-math-a');
      assert.deepEqual(linked.session.roster.enrollment, { sourcedId: 'enr-t1', role: 'teacher' });
      assert.match(linked.page, /<dt>enrollment<\/dt><dd>teacher \(enr-t1\)<\/dd>/);

      // An id the SIS does not know is said to be missing; nothing is created in the roster.
      const before = await t.database.db
        .selectFrom('roster_records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const unknown = await sessionOf({ person_sourcedid: 'nobody-9', course_section_sourcedid: 'class-math-a' });
      assert.equal(unknown.session.roster.user, null);
      assert.equal(unknown.session.roster.enrollment, null);
      assert.match(unknown.page, /not in this tenant&#39;s roster \(lis person_sourcedid nobody-9\)/);
      const after = await t.database.db
        .selectFrom('roster_records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(after.n, before.n);

      // Another tenant's roster with the same ids never links (the lookup is scoped by the launch's tenant).
      const other = (await t.tenantWithAdmin('Shelbyville USD')).tenantId;
      await t.database.db.deleteFrom('roster_records').where('tenant_id', '=', tenantId).execute();
      await importPackage(t.database.db, memoryPackage(samplePackage('1.2')), {
        tenantId: other,
        sourceName: 'sis.zip',
        ctx: cliContext,
        copyIn: t.database.copyIn,
      });
      const isolated = await sessionOf({ person_sourcedid: 'teacher-1', course_section_sourcedid: 'class-math-a' });
      assert.deepEqual(isolated.session.roster, { user: null, class: null, enrollment: null });
    });

    it('the launch token is refused once expired, tampered with or absent', async () => {
      const res = await launchWith();
      assert.equal(res.status, 200);
      const token = decodeURIComponent(/ltik=([A-Za-z0-9._%-]+)/.exec(res.text)?.[1] ?? '');
      await expectFailure(() => t.http.get('/lti/session'), 'launch-token-missing');
      await expectFailure(() => t.http.get('/lti/session').set('Authorization', `Bearer ${token.slice(0, -2)}xx`), 'launch-token-invalid');
      t.clock.now = new Date(t.clock.now.getTime() + 3_601_000);
      try {
        const expired = await expectFailure(() => t.http.get('/lti/session').query({ ltik: token }), 'launch-token-invalid');
        assert.match(String((expired as unknown as { headers: Record<string, string> }).headers['www-authenticate']), /error="invalid_token"/);
      } finally {
        t.clock.now = new Date(t.clock.now.getTime() - 3_601_000);
      }
    });

    const valid: [string, TokenOptions['claims'], (text: string) => void][] = [
      [
        'Student launch',
        { sub: 'student-1', name: 'Sam Student', [CLAIM.roles]: [ROLE.learner, ROLE.institutionStudent] },
        (x) => assert.match(x, /as <strong>student<\/strong>/),
      ],
      [
        'No PII',
        { sub: 'anonymous-ish-1', name: undefined, given_name: undefined, family_name: undefined, email: undefined },
        (x) => assert.match(x, /Welcome, anonymous-ish-1/),
      ],
      [
        'Only Email',
        { sub: 'email-only', name: undefined, given_name: undefined, family_name: undefined },
        (x) => assert.match(x, /Welcome, ada@example\.edu/),
      ],
      ['Only Names', { sub: 'names-only', name: undefined, email: undefined }, (x) => assert.match(x, /Welcome, Ada Lovelace/)],
      ['No Role (empty list)', { sub: 'no-role-1', [CLAIM.roles]: [] }, (x) => assert.match(x, /no roles/)],
      ['No Role ([""])', { sub: 'no-role-2', [CLAIM.roles]: [''] }, (x) => assert.match(x, /no roles/)],
      [
        'Multiple Roles',
        { sub: 'multi', [CLAIM.roles]: [ROLE.instructor, ROLE.learner, 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'] },
        (x) => assert.match(x, /Instructor#TeachingAssistant/),
      ],
      [
        'Short Role',
        { sub: 'short', [CLAIM.roles]: ['Instructor'] },
        (x) => assert.match(x, /title="http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership#Instructor"/),
      ],
      [
        'Unknown Role',
        { sub: 'unknown-role', [CLAIM.roles]: ['http://example.org/roles#Wizard'] },
        (x) => assert.match(x, /as <strong>other<\/strong>.*Wizard/s),
      ],
      [
        'Only Resource Link (minimal claims)',
        {
          sub: 'minimal',
          name: undefined,
          given_name: undefined,
          family_name: undefined,
          email: undefined,
          [CLAIM.context]: undefined,
          [CLAIM.toolPlatform]: undefined,
        },
        (x) => assert.match(x, /no context|resource link/),
      ],
      ['Instructor With Email No Context', { sub: 'no-context', [CLAIM.context]: undefined }, (x) => assert.doesNotMatch(x, / in <strong>/)],
    ];
    for (const [name, claims, check] of valid) {
      it(`accepts: ${name} (fact sheet §12.2)`, async () => {
        const res = await launchWith({ claims });
        assert.equal(res.status, 200, res.text.slice(0, 400));
        check(res.text);
      });
    }

    it('normalises a short role to its membership URI in the stored membership', async () => {
      assert.equal((await launchWith({ claims: { sub: 'short-2', [CLAIM.roles]: ['Learner'] } })).status, 200);
      const m = await t.database.db
        .selectFrom('lti_memberships')
        .innerJoin('lti_user_identities', 'lti_user_identities.user_id', 'lti_memberships.user_id')
        .select(['roles', 'kind'])
        .where('sub', '=', 'short-2')
        .executeTakeFirstOrThrow();
      assert.deepEqual([m.roles, m.kind], [[ROLE.learner], 'student']);
    });

    it('accepts a Deep Linking request without target_link_uri (fact sheet §14.10)', async () => {
      const res = await launchWith({
        claims: {
          [CLAIM.messageType]: 'LtiDeepLinkingRequest',
          [CLAIM.targetLinkUri]: undefined,
          [CLAIM.resourceLink]: undefined,
          [CLAIM.deepLinkingSettings]: {
            deep_link_return_url: `${platform.origin}/dl-return`,
            accept_types: ['ltiResourceLink'],
            accept_presentation_document_targets: ['iframe'],
          },
        },
      });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(res.text, /This is a Deep Linking request/);
    });

    it('accepts a Submission Review request (fact sheet §14.11)', async () => {
      const res = await launchWith({
        claims: {
          [CLAIM.messageType]: 'LtiSubmissionReviewRequest',
          [CLAIM.forUser]: { user_id: 'student-1' },
          [CLAIM.agsEndpoint]: { scope: [], lineitem: `${platform.origin}/lineitems/1` },
        },
      });
      assert.equal(res.status, 200, res.text.slice(0, 300));
    });

    it('registers an unknown deployment only when the registration opts in, and audits it', async () => {
      await expectFailure(
        () => launchWith({ claims: { [CLAIM.deploymentId]: 'course-level-42' } }, { lti_deployment_id: 'course-level-42' }),
        'deployment-unknown',
      );
      await t.database.db.updateTable('lti_platforms').set({ auto_register_deployments: true }).where('client_id', '=', platform.clientId).execute();
      try {
        const res = await launchWith({ claims: { [CLAIM.deploymentId]: 'course-level-42' } }, { lti_deployment_id: 'course-level-42' });
        assert.equal(res.status, 200, res.text.slice(0, 300));
        const row = await t.database.db.selectFrom('lti_deployments').selectAll().where('deployment_id', '=', 'course-level-42').executeTakeFirstOrThrow();
        assert.equal(row.source, 'auto');
        const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'lti.deployment.auto_register').execute();
        assert.equal(audit.length, 1);
        assert.equal(audit[0]?.actor_type, 'system');
      } finally {
        await t.database.db.updateTable('lti_platforms').set({ auto_register_deployments: false }).where('client_id', '=', platform.clientId).execute();
      }
    });
  });

  describe('invalid launches are refused at the exact check (fact sheet §3, §12.1)', () => {
    const cases: [string, TokenOptions, LtiErrorCode, Record<string, string>?][] = [
      ['Correct KID Required in Header (no kid)', { header: { kid: undefined } }, 'kid-missing'],
      ['alg none', { alg: 'none' }, 'alg-not-allowed'],
      ['HS256 signed with the public key as the secret', { alg: 'hs256-public-key' }, 'alg-not-allowed'],
      ['LTI version passed is not 1.3 (11.3)', { claims: { [CLAIM.version]: '11.3' } }, 'version-unsupported'],
      ['No LTI Version Passed', { claims: { [CLAIM.version]: undefined } }, 'version-missing'],
      ['Exp and Iat Fields invalid (11111 / 22222)', { claims: { exp: 11111, iat: 22222 } }, 'token-expired'],
      ['iat far in the future', { claims: { iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 } }, 'iat-in-future'],
      ['iat far in the past', { claims: { iat: Math.floor(Date.now() / 1000) - 7300 } }, 'iat-too-old'],
      [
        'One or more JWT fields missing',
        { claims: { [CLAIM.version]: undefined, [CLAIM.messageType]: undefined, [CLAIM.roles]: undefined } },
        'version-missing',
      ],
      ['message_type Claim Missing', { claims: { [CLAIM.messageType]: undefined } }, 'message-type-missing'],
      ['unknown message_type', { claims: { [CLAIM.messageType]: 'LtiStartProctoring' } }, 'message-type-unsupported'],
      ['role Claim Missing', { claims: { [CLAIM.roles]: undefined } }, 'roles-missing'],
      ['roles not a list', { claims: { [CLAIM.roles]: 'Instructor' } }, 'roles-invalid'],
      ['deployment_id Claim Missing', { claims: { [CLAIM.deploymentId]: undefined } }, 'deployment-id-missing', { lti_deployment_id: '' }],
      ['unknown deployment', { claims: { [CLAIM.deploymentId]: 'somewhere-else' } }, 'deployment-unknown', { lti_deployment_id: '' }],
      ['deployment_id differs from the login lti_deployment_id', { claims: { [CLAIM.deploymentId]: 'somewhere-else' } }, 'deployment-id-mismatch'],
      ['user Claim Missing (sub "")', { claims: { sub: '' } }, 'sub-empty'],
      ['no sub (anonymous launches not enabled)', { claims: { sub: undefined } }, 'sub-missing'],
      ['Launch With Missing resource_link_id', { claims: { [CLAIM.resourceLink]: { title: 'no id' } } }, 'required-claim-missing'],
      ['context without id', { claims: { [CLAIM.context]: { title: 'no id' } } }, 'claim-invalid'],
      ['wrong nonce', { nonce: 'not-the-issued-nonce' }, 'nonce-mismatch'],
      ['no nonce', { claims: { nonce: undefined } }, 'nonce-missing'],
      ['wrong aud', { claims: { aud: 'another-tool' } }, 'aud-mismatch'],
      ['extra untrusted aud', { claims: { aud: ['edhub-client-1', 'another-tool'], azp: 'edhub-client-1' } }, 'aud-untrusted'],
      ['azp mismatch', { claims: { aud: ['edhub-client-1'], azp: 'another-tool' } }, 'azp-mismatch'],
      ['issuer other than the login', { claims: { iss: 'https://lms.example.com' } }, 'iss-mismatch'],
      ['target_link_uri outside the tool', { claims: { [CLAIM.targetLinkUri]: 'https://evil.example/phish' } }, 'target-link-uri-not-allowed'],
      ['non-JSON claims', { rawPayload: 'this is not JSON' }, 'jwt-malformed'],
      ['claims that are a JSON array', { rawPayload: '[1,2,3]' }, 'jwt-malformed'],
    ];
    for (const [name, options, code, loginParams] of cases) {
      it(`${name} → ${LTI_ERRORS[code].check}: ${code}`, async () => {
        await expectFailure(() => launchWith(options, loginParams), code);
      });
    }

    it('Incorrect KID passed in JWT Header → jwks-key: kid-unknown, after fetching the key set', async () => {
      const hits = platform.jwksHits;
      await expectFailure(() => launchWith({ header: { kid: 'kid-the-platform-never-published' } }), 'kid-unknown');
      assert.ok(platform.jwksHits - hits <= 1);
    });

    it('a signature by another key under a published kid → signature: signature-invalid', async () => {
      const other = await platform.newKey();
      await expectFailure(() => launchWith({ key: { ...other, kid: platform.current.kid } }), 'signature-invalid');
    });

    it('JWT Passed is Not LTI 1.3 JWT (two parts; garbage) → format: jwt-malformed', async () => {
      for (const bad of ['header.payload', 'a.b.c', '%%%.###.!!!']) {
        const login = await ltiLogin(t.http, platform);
        await expectFailure(() => ltiLaunch(t.http, { id_token: bad, state: login.state }, login.cookie), 'jwt-malformed');
      }
    });

    it('a replayed nonce → nonce: nonce-replayed; the replayed form itself → state: state-used', async () => {
      const first = await ltiLogin(t.http, platform);
      const token = await platform.idToken({ nonce: first.nonce });
      await ltiLaunch(t.http, { id_token: token, state: first.state }, first.cookie).expect(200);
      await expectFailure(() => ltiLaunch(t.http, { id_token: token, state: first.state }, first.cookie), 'state-used');
      const second = await ltiLogin(t.http, platform);
      const replay = await platform.idToken({ nonce: first.nonce });
      await expectFailure(() => ltiLaunch(t.http, { id_token: replay, state: second.state }, second.cookie), 'nonce-replayed');
    });

    it('state mismatch: another login’s cookie, no cookie, an unknown, a missing and an expired state → state', async () => {
      const a = await ltiLogin(t.http, platform);
      const b = await ltiLogin(t.http, platform);
      const token = await platform.idToken({ nonce: b.nonce });
      await expectFailure(() => ltiLaunch(t.http, { id_token: token, state: b.state }, a.cookie), 'state-mismatch');
      await expectFailure(() => ltiLaunch(t.http, { id_token: token, state: b.state }), 'state-mismatch');
      await expectFailure(() => ltiLaunch(t.http, { id_token: token, state: 'x'.repeat(43) }, b.cookie), 'state-unknown');
      await expectFailure(() => ltiLaunch(t.http, { id_token: token }, b.cookie), 'state-missing');
      t.clock.now = new Date(t.clock.now.getTime() + 601_000);
      try {
        await expectFailure(() => ltiLaunch(t.http, { id_token: token, state: b.state }, b.cookie), 'state-expired');
      } finally {
        t.clock.now = new Date(t.clock.now.getTime() - 601_000);
      }
    });
  });

  describe('hostile input never gets a 500', () => {
    it('an id_token over 64 KB → format: id-token-too-large', async () => {
      const login = await ltiLogin(t.http, platform);
      await expectFailure(() => ltiLaunch(t.http, { id_token: `${'a'.repeat(70_000)}.b.c`, state: login.state }, login.cookie), 'id-token-too-large');
    });

    it('a form body over the limit → an HTML error page (413), not JSON', async () => {
      const res = await expectFailure(
        () =>
          t.http
            .post('/lti/launch')
            .type('form')
            .send(`id_token=${'a'.repeat(300_000)}&state=x`),
        'request-too-large',
      );
      assert.match((res as unknown as { headers: Record<string, string> }).headers['content-type'] ?? '', /^text\/html/);
    });

    it('parameters given twice, no id_token, an empty body and JSON instead of a form are refused cleanly', async () => {
      const login = await ltiLogin(t.http, platform);
      await expectFailure(
        () => t.http.post('/lti/launch').type('form').set('Cookie', login.cookie).send(`state=${login.state}&id_token=a.b.c&id_token=d.e.f`),
        'jwt-malformed',
      );
      const again = await ltiLogin(t.http, platform);
      await expectFailure(() => ltiLaunch(t.http, { state: again.state }, again.cookie), 'id-token-missing');
      await expectFailure(() => t.http.post('/lti/launch').type('form').send(''), 'state-missing');
      await expectFailure(() => t.http.post('/lti/launch').send({ id_token: 'x', state: 'y' }), 'state-missing');
    });

    it('a header that is not JSON, and a token of random bytes, are format failures', async () => {
      for (const bad of [`${Buffer.from('not json').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`, 'AAAA.BBBB.CCCC']) {
        const login = await ltiLogin(t.http, platform);
        await expectFailure(() => ltiLaunch(t.http, { id_token: bad, state: login.state }, login.cookie), 'jwt-malformed');
      }
    });
  });
});
