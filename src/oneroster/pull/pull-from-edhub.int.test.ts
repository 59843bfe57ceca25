import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TenantId } from '../../tenancy/ids.js';
import { memoryPackage } from '../../testing/memory-package.js';
import { type Rows, sampleGradebookRows, samplePackage, sampleRows, toCsv } from '../../testing/oneroster-sample.js';
import { cliContext, type TestApp, testApp } from '../../testing/test-app.js';
import { importPackage } from '../csv/import/import-package.js';
import { type PullCredentials, type PullOptions, type PullResult, pullRoster } from './index.js';
import { content, type StoredRow, storedRows } from './pull-test-support.js';

const V12 = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
const V11 = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';
const at = (iso: string) => () => new Date(iso);

/**
 * EdHub pulling from EdHub: tenant A holds a roster and serves it over real HTTP on loopback; other
 * tenants pull it through OneRoster REST. What arrives must equal what A holds.
 */
describe('OneRoster pull from EdHub’s own provider (another tenant, over HTTP)', () => {
  let t: TestApp;
  let server: Server;
  let origin: string;
  let a: TenantId;

  /** Tenant A's package: the sample roster with a user profile, a metadata column, demographics and gradebook. */
  function rowsOfA(): Record<string, Rows> {
    const rows = sampleRows('1.2');
    rows.userProfiles = [
      { sourcedId: 'prof-edna', userSourcedId: 'teacher-1', profileType: 'SYSTEM', vendorId: 'edhub', credentialType: 'login', username: 'edna.k' },
    ];
    (rows.roles as Rows)[0] = { ...(rows.roles as Rows)[0], userProfileSourcedId: 'prof-edna', beginDate: '2025-08-01' };
    const gradebook = sampleGradebookRows();
    Object.assign(gradebook.lineItems[0] as Rows[number], { resultValueMin: '0', resultValueMax: '10' });
    Object.assign(gradebook.results[0] as Rows[number], { score: '9.5' });
    Object.assign(gradebook.results[1] as Rows[number], { comment: '=SUM(A1)' });
    Object.assign(rows, gradebook);
    return rows;
  }

  async function importIntoA(files: Record<string, string>, now: string): Promise<void> {
    const r = await importPackage(t.database.db, memoryPackage(files), {
      tenantId: a,
      sourceName: 'a.zip',
      ctx: cliContext,
      now: at(now),
      copyIn: t.database.copyIn,
    });
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
  }

  async function pull(tenantId: TenantId, credentials: PullCredentials, o: Partial<PullOptions> = {}, now?: string): Promise<PullResult> {
    const r = await pullRoster(
      { db: t.database.db, copyIn: t.database.copyIn, sleep: async () => {}, ...(now ? { now: at(now) } : {}) },
      { tenantId, baseUrl: `${origin}/ims/oneroster`, credentials, mode: 'full', ctx: cliContext, ...o },
    );
    assert.equal(r.status, 'succeeded', JSON.stringify(r.failure ?? r.diagnostics.slice(0, 5)));
    return r;
  }

  /** Roles have no sourcedId in REST 1.2 (RoleDType): compared by what they say. */
  const roleFacts = (rows: StoredRow[], omit: string[] = []) =>
    rows
      .map((r) => ({ status: r.status, ...Object.fromEntries(Object.entries(r.fields).filter(([k]) => !omit.includes(k))) }))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  const withoutRoles = (rows: StoredRow[]) => content(rows.filter((r) => r.file !== 'roles'));

  before(async () => {
    // Listening first: the app must know its public origin, which OAuth 1.0a signatures cover.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await testApp({ baseUrl: origin });
    server.on('request', t.app);
    a = (await t.tenantWithAdmin('District A (provider)')).tenantId;
    const files = samplePackage('1.2', rowsOfA());
    const users = (rowsOfA().users as Rows).map((u) => (u.sourcedId === 'student-1' ? { ...u, 'metadata.sis.flag': 'ELL' } : u));
    files['users.csv'] = toCsv('1.2', 'users', users, { extra: ['metadata.sis.flag'] });
    await importIntoA(files, '2026-01-10T08:00:00.000Z');
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  describe('OneRoster 1.2 (OAuth 2)', () => {
    let b: TenantId;
    let credentials: PullCredentials;

    before(async () => {
      b = (await t.tenantWithAdmin('District B (consumer)')).tenantId;
      const c = await t.oauthClient(a, [`${V12}roster.readonly`, `${V12}roster-demographics.readonly`, `${V12}gradebook.readonly`]);
      credentials = { kind: 'oauth2', clientId: c.clientId, clientSecret: c.clientSecret };
    });

    it("a full pull makes B's stored records equal A's (gradebook, profiles, metadata and formula-like text included)", async () => {
      const r = await pull(b, credentials, { includeGradebook: true }, '2026-01-10T09:00:00.000Z');
      assert.equal(r.version, '1.2', 'detected');
      assert.deepEqual(
        r.diagnostics.map((d) => [d.severity, d.code, d.endpoint]),
        [['warning', 'rest.empty', '/scoreScales']],
        'A has no score scales: the file is left absent rather than emptied',
      );
      const mine = await storedRows(t.database.db, b);
      const theirs = await storedRows(t.database.db, a);
      assert.deepEqual(withoutRoles(mine), withoutRoles(theirs));
      assert.deepEqual(roleFacts(mine.filter((x) => x.file === 'roles')), roleFacts(theirs.filter((x) => x.file === 'roles')));
      assert.deepEqual(
        mine.filter((x) => x.file === 'roles').map((x) => x.sourcedId),
        ['student-1@school-1', 'student-2@school-1', 'teacher-1@school-1'],
      );
      assert.equal(r.totals.created, theirs.length);
      assert.equal(mine.find((x) => x.sourcedId === 'res-2')?.fields.comment, '=SUM(A1)');
      assert.deepEqual(mine.find((x) => x.sourcedId === 'student-1' && x.file === 'users')?.metadata, { 'sis.flag': 'ELL' });
    });

    it('a second full pull changes nothing: every record unchanged, dateLastModified untouched', async () => {
      const before = await storedRows(t.database.db, b);
      const r = await pull(b, credentials, { includeGradebook: true }, '2026-01-10T09:30:00.000Z');
      assert.deepEqual(r.totals, { created: 0, updated: 0, unchanged: before.length, deleted: 0 });
      assert.deepEqual(await storedRows(t.database.db, b), before);
    });

    it('a change in A followed by a delta pull brings exactly that change, a deletion as tobedeleted', async () => {
      const rows: Record<string, Rows> = {
        users: [
          {
            sourcedId: 'student-2',
            status: 'active',
            dateLastModified: '2026-01-10T10:00:00.000Z',
            enabledUser: 'true',
            username: 'bart.s',
            givenName: 'Bartholomew',
            familyName: 'Simpson',
            agentSourcedIds: 'student-1',
            primaryOrgSourcedId: 'school-1',
          },
        ],
        enrollments: [
          {
            sourcedId: 'enr-s2',
            status: 'tobedeleted',
            dateLastModified: '2026-01-10T10:00:00.000Z',
            classSourcedId: 'class-math-a',
            schoolSourcedId: 'school-1',
            userSourcedId: 'student-2',
            role: 'student',
          },
        ],
      };
      await importIntoA(samplePackage('1.2', rows, 'delta'), '2026-01-10T10:00:00.000Z');
      const before = await storedRows(t.database.db, b);

      const r = await pull(b, credentials, { mode: 'delta', includeGradebook: true }, '2026-01-10T11:00:00.000Z');
      assert.equal(r.since, '2026-01-10T09:25:00.000Z', "the last successful pull's cursor");
      assert.deepEqual(r.records, {
        '/academicSessions': 0,
        '/classes': 0,
        '/courses': 0,
        '/demographics': 0,
        '/enrollments': 1,
        '/orgs': 0,
        '/users': 1,
        '/categories': 0,
        '/lineItems': 0,
        '/results': 0,
        '/scoreScales': 0,
      });
      assert.deepEqual(r.totals, { created: 0, updated: 1, unchanged: 1, deleted: 1 }, 'the user, its unchanged role, the enrollment');
      const after = await storedRows(t.database.db, b);
      const changed = after.filter((x) => JSON.stringify(x) !== JSON.stringify(before.find((y) => y.file === x.file && y.sourcedId === x.sourcedId)));
      assert.deepEqual(
        changed.map((x) => [x.file, x.sourcedId, x.status, x.dateLastModified]),
        [
          ['enrollments', 'enr-s2', 'tobedeleted', '2026-01-10T10:00:00.000Z'],
          ['users', 'student-2', 'active', '2026-01-10T10:00:00.000Z'],
        ],
      );
      assert.equal(changed[1]?.fields.givenName, 'Bartholomew');
      assert.deepEqual(withoutRoles(after), withoutRoles(await storedRows(t.database.db, a)));
    });

    it("a record gone from A's full listing becomes tobedeleted in B after a full pull", async () => {
      const gone = {
        sourcedId: 'enr-s1',
        status: 'tobedeleted',
        dateLastModified: '2026-01-10T12:00:00.000Z',
        classSourcedId: 'class-math-a',
        schoolSourcedId: 'school-1',
        userSourcedId: 'student-1',
        role: 'student',
      };
      await importIntoA(samplePackage('1.2', { enrollments: [gone] }, 'delta'), '2026-01-10T12:00:00.000Z');
      const r = await pull(b, credentials, { includeGradebook: true }, '2026-01-10T13:00:00.000Z');
      assert.deepEqual(r.counts.enrollments, { rows: 1, inserted: 0, updated: 0, unchanged: 1, deleted: 1 });
      const enrollments = await storedRows(t.database.db, b, 'enrollments');
      assert.deepEqual(
        enrollments.map((e) => [e.sourcedId, e.status, e.dateLastModified]),
        [
          ['enr-s1', 'tobedeleted', '2026-01-10T13:00:00.000Z'],
          ['enr-s2', 'tobedeleted', '2026-01-10T10:00:00.000Z'],
          ['enr-t1', 'active', '2026-01-10T09:00:00.000Z'],
        ],
      );
    });

    it('without the demographics scope, demographics are skipped with a warning and left as stored', async () => {
      const c = await t.oauthClient(a, [`${V12}roster.readonly`]);
      const before = await storedRows(t.database.db, b, 'demographics');
      const r = await pull(b, { kind: 'oauth2', clientId: c.clientId, clientSecret: c.clientSecret }, {}, '2026-01-10T14:00:00.000Z');
      assert.deepEqual(
        r.diagnostics.map((d) => [d.severity, d.code, d.endpoint]),
        [['warning', 'rest.forbidden', '/demographics']],
      );
      assert.equal(r.counts.demographics, undefined);
      assert.deepEqual(await storedRows(t.database.db, b, 'demographics'), before);
    });
  });

  describe('OneRoster 1.1 (OAuth 1.0a, v1p1 paths)', () => {
    it("pulls A's roster as 1.1 into C: the same records, roles derived per org as a 1.1 CSV import would; a second pull changes nothing", async () => {
      const c = (await t.tenantWithAdmin('District C (1.1 consumer)')).tenantId;
      const client = await t.oauthClient(a, [`${V11}roster.readonly`, `${V11}roster-demographics.readonly`], { oauth1: true });
      const credentials: PullCredentials = { kind: 'oauth1', consumerKey: client.clientId, consumerSecret: client.clientSecret };
      const r = await pull(c, credentials);
      assert.equal(r.version, '1.1', 'OAuth 1.0a means the 1.1 binding');
      assert.deepEqual(r.diagnostics, []);
      const mine = await storedRows(t.database.db, c);
      const theirs = await storedRows(t.database.db, a);
      const rostering = (rows: StoredRow[]) =>
        content(
          rows.filter(
            (x) => ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'enrollments', 'demographics'].includes(x.file) && x.status === 'active',
          ),
        );
      assert.deepEqual(rostering(mine), rostering(theirs));
      // 1.1 has no user profiles or role dates (fact sheet §7.5).
      const activeRoles = (rows: StoredRow[]) => rows.filter((x) => x.file === 'roles' && x.status === 'active');
      assert.deepEqual(roleFacts(activeRoles(mine)), roleFacts(activeRoles(theirs), ['userProfileSourcedId', 'beginDate']));
      assert.deepEqual(
        activeRoles(mine).map((x) => x.sourcedId),
        ['student-1@school-1', 'student-2@school-1', 'teacher-1@school-1'],
      );

      const again = await pull(c, credentials);
      assert.deepEqual([again.totals.created, again.totals.updated, again.totals.deleted], [0, 0, 0]);
      assert.deepEqual(await storedRows(t.database.db, c), mine);
    });
  });
});
