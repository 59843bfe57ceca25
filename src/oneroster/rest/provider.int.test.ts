import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TenantId } from '../../tenancy/ids.js';
import { memoryPackage } from '../../testing/memory-package.js';
import { type Rows, sampleGradebookRows, samplePackage, sampleRows } from '../../testing/oneroster-sample.js';
import { cliContext, type TestApp, testApp } from '../../testing/test-app.js';
import { importPackage } from '../csv/import/import-package.js';
import { listRecords, ReadCache } from './read-records.js';
import { endpointsOf } from './rest-tables.js';

const V12 = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
const V11 = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';
const R12 = '/ims/oneroster/rostering/v1p2';
const G12 = '/ims/oneroster/gradebook/v1p2';
const P11 = '/ims/oneroster/v1p1';

describe('OneRoster REST provider', () => {
  let t: TestApp;
  let tenantId: TenantId;
  const tokens = new Map<string, string>();

  /** An access token of the tenant's client holding exactly these scopes. */
  async function token(scopes: string[]): Promise<string> {
    const key = scopes.join(' ');
    const cached = tokens.get(key);
    if (cached) return cached;
    const c = await t.oauthClient(tenantId, scopes);
    const r = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send({ grant_type: 'client_credentials', scope: key });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    tokens.set(key, r.body.access_token);
    return r.body.access_token as string;
  }
  /** Imports a 1.2 bulk package of these rows into a tenant, stamped 2026-01-10T08:00:00Z. */
  async function importInto(tenant: TenantId, rows: Record<string, Rows>): Promise<void> {
    const r = await importPackage(t.database.db, memoryPackage(samplePackage('1.2', rows)), {
      tenantId: tenant,
      sourceName: 'sample.zip',
      ctx: cliContext,
      now: () => new Date('2026-01-10T08:00:00.000Z'),
      copyIn: t.database.copyIn,
    });
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
  }
  async function tokenOf(tenant: TenantId): Promise<string> {
    const c = await t.oauthClient(tenant, [`${V12}roster.readonly`]);
    const r = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send({ grant_type: 'client_credentials' });
    return r.body.access_token as string;
  }
  const get = async (path: string, scopes = [`${V12}roster.readonly`]) => t.http.get(path).set('Authorization', `Bearer ${await token(scopes)}`);
  const read11 = (path: string) => get(`${P11}${path}`, [`${V11}roster.readonly`, `${V11}gradebook.readonly`]);
  const gradebook = [`${V12}gradebook.readonly`, `${V12}gradebook.createput`, `${V12}gradebook.createpost`, `${V12}gradebook.delete`];

  before(async () => {
    t = await testApp({ baseUrl: 'https://edhub.example' });
    tenantId = (await t.tenantWithAdmin('REST District')).tenantId;
    const rows = sampleRows('1.2');
    Object.assign(rows, sampleGradebookRows());
    await importInto(tenantId, rows);
  });
  after(() => t.close());

  it('serves every operation of the endpoint tables: 41 + 35 + 5 on 1.2, 41 + 16 + 4 on 1.1', () => {
    const count = (v: '1.1' | '1.2', s: string) => endpointsOf(v).filter((e) => e.service === s).length;
    assert.deepEqual([count('1.2', 'rostering'), count('1.2', 'gradebook'), count('1.2', 'resources')], [41, 35, 5]);
    assert.deepEqual([count('1.1', 'rostering'), count('1.1', 'gradebook'), count('1.1', 'resources')], [41, 16, 4]);
  });

  it('answers a missing token with 401 imsx_StatusInfo before looking at the query', async () => {
    const r = await t.http.get(`${R12}/users?filter=nonsense`);
    assert.equal(r.status, 401);
    assert.equal(r.body.imsx_codeMajor, 'failure');
    assert.equal(r.body.imsx_severity, 'error');
    assert.equal(r.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unauthorisedrequest');
  });

  it('refuses an operation the token has no scope for with 403 forbidden', async () => {
    const r = await get(`${R12}/demographics`, [`${V12}roster.readonly`]);
    assert.equal(r.status, 403);
    assert.equal(r.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'forbidden');
    const core = await get(`${R12}/classes/class-math-a/students`, [`${V12}roster-core.readonly`]);
    assert.equal(core.status, 403, 'roster-core does not reach nested routes');
    const ok = await get(`${R12}/users`, [`${V12}roster-core.readonly`]);
    assert.equal(ok.status, 200);
  });

  it('lists users in the 1.2 shape with roles, GUIDRefs and X-Total-Count', async () => {
    const r = await get(`${R12}/users?sort=familyName`);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] ?? '', /application\/json/);
    assert.equal(r.headers['x-total-count'], '3');
    const lisa = r.body.users.find((u: { sourcedId: string }) => u.sourcedId === 'student-1');
    assert.deepEqual(lisa.roles, [
      { roleType: 'primary', role: 'student', org: { href: `https://edhub.example${R12}/orgs/school-1`, sourcedId: 'school-1', type: 'org' } },
    ]);
    assert.deepEqual(lisa.userIds, [
      { type: 'LDAP', identifier: 'ls001' },
      { type: 'SIS', identifier: '1001' },
    ]);
    assert.equal(lisa.dateLastModified, '2026-01-10T08:00:00.000Z');
    assert.deepEqual(
      r.body.users.map((u: { familyName: string }) => u.familyName),
      ['Krabappel', 'Simpson', 'Simpson'],
    );
  });

  it('pages with limit/offset and Link headers that neither skip nor repeat', async () => {
    const first = await get(`${R12}/enrollments?limit=2`);
    assert.equal(first.headers['x-total-count'], '3');
    assert.match(first.headers.link ?? '', /offset=2>; rel="next"/);
    const second = await get(`${R12}/enrollments?limit=2&offset=2`);
    assert.doesNotMatch(second.headers.link ?? '', /rel="next"/);
    const ids = [...first.body.enrollments, ...second.body.enrollments].map((e: { sourcedId: string }) => e.sourcedId);
    assert.deepEqual(ids, ['enr-s1', 'enr-s2', 'enr-t1']);
  });

  it('filters with the grammar and selects fields', async () => {
    const r = await get(`${R12}/users?filter=${encodeURIComponent("role='student' AND givenName~'LIS'")}&fields=sourcedId,givenName`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.users, [{ sourcedId: 'student-1', givenName: 'Lisa' }]);
    const bad = await get(`${R12}/users?filter=${encodeURIComponent("shoeSize='9'")}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'invalid_filter_field');
    const badField = await get(`${R12}/users?fields=sourcedId,shoeSize`);
    assert.equal(badField.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'invalid_selection_field');
    const badSort = await get(`${R12}/users?sort=shoeSize`);
    assert.equal(badSort.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'invalid_sort_field');
  });

  it("keeps tenants apart: another tenant's roster is invisible, filters on roles included", async () => {
    const other = (await t.tenantWithAdmin('Other District')).tenantId;
    const rows = sampleRows('1.2');
    // There, teacher-1 is a student: a role filter that leaked across tenants would list our teacher.
    for (const role of rows.roles as Rows) if (role.userSourcedId === 'teacher-1') role.role = 'student';
    await importInto(other, rows);
    const mine = await get(`${R12}/users?filter=${encodeURIComponent("role='student'")}`);
    assert.deepEqual(mine.body.users.map((u: { givenName: string }) => u.givenName).sort(), ['Bart', 'Lisa']);
    assert.equal(mine.headers['x-total-count'], '2');
    const theirs = await t.http.get(`${R12}/users?filter=${encodeURIComponent("role='student'")}`).set('Authorization', `Bearer ${await tokenOf(other)}`);
    assert.deepEqual(theirs.body.users.map((u: { givenName: string }) => u.givenName).sort(), ['Bart', 'Edna', 'Lisa']);
  });

  it('serves nested routes, and answers an unknown parent with 404 on 1.2 and an empty list on 1.1', async () => {
    const students = await get(`${R12}/classes/class-math-a/students`);
    assert.deepEqual(
      students.body.users.map((u: { sourcedId: string }) => u.sourcedId),
      ['student-1', 'student-2'],
    );
    const teachersOfSchool = await get(`${R12}/schools/school-1/teachers`);
    assert.deepEqual(
      teachersOfSchool.body.users.map((u: { sourcedId: string }) => u.sourcedId),
      ['teacher-1'],
    );
    const terms = await get(`${R12}/terms/term-1/classes`);
    assert.deepEqual(
      terms.body.classes.map((c: { sourcedId: string }) => c.sourcedId),
      ['class-math-a'],
    );
    const missing = await get(`${R12}/schools/nope/classes`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unknownobject');
    const notASchool = await get(`${R12}/schools/district-1/classes`);
    assert.equal(notASchool.status, 404);
    const old = await read11('/schools/1000000/classes');
    assert.equal(old.status, 200);
    assert.deepEqual(old.body, { classes: [] });
  });

  it('serves single objects with X-Total-Count, the demographics key, and 404 unknownobject', async () => {
    const school = await get(`${R12}/schools/school-1`);
    assert.equal(school.headers['x-total-count'], '1');
    assert.equal(school.body.org.name, 'Springfield Élémentaire');
    assert.deepEqual(school.body.org.parent.sourcedId, 'district-1');
    const district = await get(`${R12}/orgs/district-1`);
    assert.deepEqual(
      district.body.org.children.map((c: { sourcedId: string }) => c.sourcedId),
      ['school-1'],
    );
    const demo = await get(`${R12}/demographics/student-1`, [`${V12}roster-demographics.readonly`]);
    assert.equal(demo.body.demographics.sex, 'female');
    const none = await get(`${R12}/users/Student-1`);
    assert.equal(none.status, 404, 'sourcedIds are case-sensitive');
  });

  it('speaks 1.1: a single role and orgs instead of roles, gradingPeriod on line items', async () => {
    const r = await read11('/users/teacher-1');
    assert.equal(r.status, 200);
    assert.equal(r.body.user.role, 'teacher');
    assert.deepEqual(
      r.body.user.orgs.map((o: { sourcedId: string }) => o.sourcedId),
      ['school-1'],
    );
    assert.equal(r.body.user.roles, undefined);
    assert.equal(r.body.user.orgs[0].href, `https://edhub.example${P11}/orgs/school-1`);
    const li = await read11('/lineItems/li-1');
    assert.equal(li.body.lineItem.gradingPeriod.sourcedId, 'term-1');
    assert.equal(li.body.lineItem.assignDate, '2025-09-01T00:00:00.000Z');
    const filtered = await read11(`/users?filter=${encodeURIComponent("role='teacher'")}`);
    assert.deepEqual(
      filtered.body.users.map((u: { sourcedId: string }) => u.sourcedId),
      ['teacher-1'],
    );
  });

  it('writes results by PUT, shows them at once, and hides a deleted one from every read but a delta query', async () => {
    const auth = `Bearer ${await token(gradebook)}`;
    const put = await t.http
      .put(`${G12}/results/res-3`)
      .set('Authorization', auth)
      .send({
        result: { lineItem: { sourcedId: 'li-1' }, student: { sourcedId: 'teacher-1' }, scoreStatus: 'fully graded', score: 7.5, scoreDate: '2025-09-10' },
      });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.equal(put.body.result.score, 7.5);
    const list = await t.http.get(`${G12}/classes/class-math-a/lineItems/li-1/results`).set('Authorization', auth);
    assert.deepEqual(
      list.body.results.map((x: { sourcedId: string }) => x.sourcedId),
      ['res-1', 'res-2', 'res-3'],
    );
    assert.equal((await t.http.delete(`${G12}/results/res-2`).set('Authorization', auth)).status, 204);
    const after = await t.http.get(`${G12}/lineItems/li-1/results`).set('Authorization', auth);
    assert.equal(after.status, 405, 'GET is not an operation on that path');
    const visible = await t.http.get(`${G12}/classes/class-math-a/lineItems/li-1/results`).set('Authorization', auth);
    assert.deepEqual(
      visible.body.results.map((x: { sourcedId: string }) => x.sourcedId),
      ['res-1', 'res-3'],
    );
    const delta = await t.http.get(`${G12}/results?filter=${encodeURIComponent("dateLastModified>'2026-01-01T00:00:00Z'")}`).set('Authorization', auth);
    assert.deepEqual(
      delta.body.results.map((x: { sourcedId: string; status: string }) => [x.sourcedId, x.status]),
      [
        ['res-1', 'active'],
        ['res-2', 'tobedeleted'],
        ['res-3', 'active'],
      ],
    );
    assert.equal((await t.http.delete(`${G12}/results/res-2`).set('Authorization', auth)).status, 404);
  });

  it('refuses a malformed gradebook body with 422 invaliddata naming the JSON pointer, and stores nothing', async () => {
    const auth = `Bearer ${await token(gradebook)}`;
    const cases: [unknown, RegExp][] = [
      [
        {
          result: { lineItem: { sourcedId: 'li-1' }, student: { sourcedId: 'student-1' }, scoreStatus: 'fully graded', score: 'ten', scoreDate: '2025-09-10' },
        },
        /\/result\/score must be a number/,
      ],
      [
        { result: { lineItem: { sourcedId: 'li-nope' }, student: { sourcedId: 'student-1' }, scoreStatus: 'fully graded', scoreDate: '2025-09-10' } },
        /\/result\/lineItem\/sourcedId "li-nope" names no lineItems record/,
      ],
      [
        { result: { lineItem: { sourcedId: 'li-1' }, student: { sourcedId: 'student-1' }, scoreStatus: 'great', scoreDate: '2025-09-10' } },
        /\/result\/scoreStatus/,
      ],
      [
        { result: { lineItem: { sourcedId: 'li-1' }, student: { sourcedId: 'student-1' }, scoreStatus: 'submitted', scoreDate: '2025-09-10', shoeSize: 9 } },
        /\/result\/shoeSize is not a field of result/,
      ],
      [{ nothing: true }, /\/result is required/],
    ];
    for (const [body, message] of cases) {
      const r = await t.http
        .put(`${G12}/results/res-bad`)
        .set('Authorization', auth)
        .send(body as object);
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'invaliddata');
      assert.match(r.body.imsx_description, message);
    }
    const broken = await t.http.put(`${G12}/results/res-bad`).set('Authorization', auth).set('Content-Type', 'application/json').send('{"result": ');
    assert.equal(broken.status, 400);
    assert.equal((await t.http.get(`${G12}/results/res-bad`).set('Authorization', auth)).status, 404);
  });

  it('creates line items by POST with server-allocated sourcedIds (GUIDPairSet)', async () => {
    const auth = `Bearer ${await token(gradebook)}`;
    const r = await t.http
      .post(`${G12}/classes/class-math-a/lineItems`)
      .set('Authorization', auth)
      .send({
        lineItems: [
          {
            sourcedId: 'mine-1',
            title: 'Quiz',
            assignDate: '2025-10-01T00:00:00.000Z',
            dueDate: '2025-10-02T00:00:00.000Z',
            category: { sourcedId: 'cat-hw' },
          },
        ],
      });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const [pair] = r.body.sourcedIdPairs;
    assert.equal(pair.suppliedSourcedId, 'mine-1');
    const li = await t.http.get(`${G12}/lineItems/${pair.allocatedSourcedId}`).set('Authorization', auth);
    assert.equal(li.body.lineItem.class.sourcedId, 'class-math-a');
    const nowhere = await t.http.post(`${G12}/classes/nope/lineItems`).set('Authorization', auth).send({ lineItems: [] });
    assert.equal(nowhere.status, 404);
  });

  it('keeps X-Total-Count exact across changes made by anyone: cached counts are keyed on the roster version a trigger bumps', async () => {
    const db = t.database.db;
    const total = async () => Number((await get(`${R12}/users?limit=1&offset=1`)).headers['x-total-count']);
    const version = async () => (await db.selectFrom('roster_versions').select('version').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).version;
    const before = await total();
    assert.equal(await total(), before);
    // A change by plain SQL, as another app process would make it, is counted at once.
    const v0 = await version();
    await db
      .updateTable('roster_records')
      .set({ status: 'tobedeleted' })
      .where('tenant_id', '=', tenantId)
      .where('file', '=', 'users')
      .where('sourced_id', '=', 'student-2')
      .execute();
    assert.equal(Number(await version()), Number(v0) + 1);
    assert.equal(await total(), before - 1);
    await db
      .updateTable('roster_records')
      .set({ status: 'active' })
      .where('tenant_id', '=', tenantId)
      .where('file', '=', 'users')
      .where('sourced_id', '=', 'student-2')
      .execute();
    assert.equal(await total(), before);

    // The cache itself: a hit while the version stands, a miss once it moves; one statement, one bump.
    const counts = new ReadCache();
    const where = sql<boolean>`r.tenant_id = ${tenantId}::uuid AND r.file = 'users'`;
    const first = await counts.lookup(db, tenantId, where);
    assert.equal(first.summary, undefined);
    counts.store(first.key, await version(), { total: 42 });
    assert.equal((await counts.lookup(db, tenantId, where)).summary?.total, 42);
    const v1 = Number(await version());
    await db.updateTable('roster_records').set({ metadata: null }).where('tenant_id', '=', tenantId).where('file', '=', 'orgs').execute();
    assert.equal(Number(await version()), v1 + 1);
    assert.equal((await counts.lookup(db, tenantId, where)).summary, undefined);
  });

  it('answers a nested route right after an import in well under a second per page, not once per row of the file (regression)', async () => {
    // Before the page subquery was MATERIALIZED, a planner without statistics re-ran it for every user:
    // /classes/{id}/teachers over 300 users took over 10 s on PGlite (found by conformance/oneroster-rest).
    const big = (await t.tenantWithAdmin('Large District')).tenantId;
    const rows = sampleRows('1.2');
    const users = rows.users as Rows;
    const roles = rows.roles as Rows;
    const enrollments = rows.enrollments as Rows;
    for (let i = 1; i <= 300; i++) {
      users.push({ sourcedId: `s${i}`, enabledUser: 'true', username: `s${i}`, givenName: 'Student', familyName: `No ${i}`, primaryOrgSourcedId: 'school-1' });
      roles.push({ sourcedId: `role-s${i}`, userSourcedId: `s${i}`, roleType: 'primary', role: 'student', orgSourcedId: 'school-1' });
      enrollments.push({
        sourcedId: `enr-x${i}`,
        classSourcedId: 'class-math-a',
        schoolSourcedId: 'school-1',
        userSourcedId: `s${i}`,
        role: 'student',
        primary: 'false',
      });
    }
    await importInto(big, rows);
    const c = await t.oauthClient(big, [`${V12}roster.readonly`]);
    const tok = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send({ grant_type: 'client_credentials' });
    const started = performance.now();
    const r = await t.http.get(`${R12}/classes/class-math-a/teachers`).set('Authorization', `Bearer ${tok.body.access_token}`);
    const ms = performance.now() - started;
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.users.map((u: { sourcedId: string }) => u.sourcedId),
      ['teacher-1'],
    );
    assert.ok(ms < 3000, `${Math.round(ms)} ms`);
  });

  it('serves deep pages from remembered anchors exactly as a plain offset walk would, in both directions, before and after a change', async () => {
    const db = t.database.db;
    const tenant = (await t.tenantWithAdmin('Anchored District')).tenantId;
    const rows = sampleRows('1.2');
    for (let i = 1; i <= 25; i++) {
      (rows.users as Rows).push({
        sourcedId: `u-${i}`,
        enabledUser: 'true',
        username: `u${i}`,
        givenName: 'Pat',
        familyName: `No ${i}`,
        primaryOrgSourcedId: 'school-1',
      });
      (rows.roles as Rows).push({ sourcedId: `role-u-${i}`, userSourcedId: `u-${i}`, roleType: 'primary', role: 'student', orgSourcedId: 'school-1' });
    }
    await importInto(tenant, rows);
    const spec = (offset: number, orderBy: 'asc' | 'desc') => ({
      tenantId: tenant,
      file: 'users',
      where: [],
      includeDeleted: false,
      sort: undefined,
      orderBy,
      limit: 3,
      offset,
    });
    const ids = (r: { records: { sourcedId: string }[] }) => r.records.map((x) => x.sourcedId);
    const compare = async (cache: ReadCache) => {
      const all = await listRecords(db, { ...spec(0, 'asc'), limit: 10_000 });
      for (const orderBy of ['asc', 'desc'] as const) {
        for (let offset = 0; offset <= all.total + 1; offset++) {
          const plain = await listRecords(db, spec(offset, orderBy));
          const anchored = await listRecords(db, spec(offset, orderBy), cache);
          assert.deepEqual(ids(anchored), ids(plain), `${orderBy} offset ${offset}`);
          assert.equal(anchored.total, all.total);
        }
      }
      return all.total;
    };
    const cache = new ReadCache(100, 4); // an anchor every 4 records: about seven here
    const before = await compare(cache);
    assert.ok(before >= 26, `${before} users`); // the 25 added and the sample's active ones
    // A change moves every later position: the anchors of the old version must not be used.
    await db
      .updateTable('roster_records')
      .set({ status: 'tobedeleted' })
      .where('tenant_id', '=', tenant)
      .where('file', '=', 'users')
      .where('sourced_id', 'in', ['u-1', 'u-12'])
      .execute();
    assert.equal(await compare(cache), before - 2);
  });
});
