import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { createTenant } from '../../tenancy/tenants.js';
import { sampleAcademicSessions, sampleClasses, sampleCourses, sampleEnrollments, sampleOrgs, sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { type FakeOneRosterProvider, type FakeProviderOptions, startFakeOneRosterProvider, TOKEN_PATH } from '../../testing/fakes/fake-oneroster-provider.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from '../../testing/fakes/oneroster-client-for-fake.js';
import { cliContext } from '../../testing/test-app.js';
import { freshDatabase, type TestDatabase } from '../../testing/test-database.js';
import { type PullOptions, type PullResult, pullRoster } from './index.js';
import { content, pullRow, storedRows } from './pull-test-support.js';

type Data = FakeProviderOptions['data'];

/** A small consistent district: 25 users (every tenth a teacher) in two classes of one school. */
function district(): Data {
  const users = sampleUsers(25);
  return {
    orgs: sampleOrgs(),
    academicSessions: sampleAcademicSessions(),
    courses: sampleCourses(),
    classes: sampleClasses(),
    users,
    enrollments: [...sampleEnrollments('cls1', users.slice(0, 15)), ...sampleEnrollments('cls2', users.slice(15))],
  };
}

describe('OneRoster pull from a quirky provider (fake on 127.0.0.1)', () => {
  let database: TestDatabase;
  let fake: FakeOneRosterProvider | undefined;
  let sleeps: number[];

  before(async () => {
    database = await freshDatabase();
  });
  after(() => database.close());
  beforeEach(() => {
    sleeps = [];
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const tenant = async (name: string) => (await createTenant(database.db, cliContext, name)).id as TenantId;
  const start = async (o: Partial<FakeProviderOptions> = {}) => {
    fake = await startFakeOneRosterProvider({
      version: '1.2',
      paths: 'v1p2',
      auth: 'oauth2',
      clientId: FAKE_CLIENT_ID,
      clientSecret: FAKE_CLIENT_SECRET,
      data: district(),
      ...o,
    });
    return fake;
  };
  const pull = (f: FakeOneRosterProvider, tenantId: TenantId, o: Partial<PullOptions> = {}, now?: () => Date): Promise<PullResult> =>
    pullRoster(
      {
        db: database.db,
        copyIn: database.copyIn,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...(now ? { now } : {}),
      },
      {
        tenantId,
        baseUrl: f.baseUrl,
        credentials: { kind: 'oauth2', clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, tokenUrl: `${f.url}${TOKEN_PATH}` },
        mode: 'full',
        ctx: cliContext,
        ...o,
      },
    );
  const assertSucceeded = (r: PullResult) => assert.equal(r.status, 'succeeded', JSON.stringify(r.failure ?? r.diagnostics.slice(0, 5)));

  it('reads a provider with no X-Total-Count, no Link, a capped limit, 429 mid-paging with Retry-After and wrapped error envelopes', async () => {
    const f = await start({
      quirks: {
        omitTotalCount: true,
        omitLinkHeader: true,
        maxLimit: 10,
        throttle: { everyNthRequest: 4, retryAfterSeconds: 7 },
        errorEnvelope: 'imsx_statusInfo',
        forbiddenPaths: ['/demographics'],
      },
    });
    const tenantId = await tenant('Quirky');
    const r = await pull(f, tenantId);
    assertSucceeded(r);
    assert.equal(r.version, '1.2', 'detected: the 1.2 rostering base answered');
    assert.deepEqual(r.records, { '/academicSessions': 2, '/classes': 2, '/courses': 1, '/demographics': 0, '/enrollments': 25, '/orgs': 2, '/users': 25 });
    assert.ok(r.retries >= 1 && sleeps.includes(7000), `Retry-After honoured: ${JSON.stringify(sleeps)}`);
    assert.equal(f.requests.filter((q) => q.status === 429).length, r.retries, 'every 429 was retried and nothing else was');
    // The 403 came in the Moodle-style wrapped envelope; its codeMinor was still read.
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.endpoint]),
      [['warning', 'rest.forbidden', '/demographics']],
    );
    assert.match(r.diagnostics[0]?.message ?? '', /403 forbidden/);
    assert.deepEqual(r.counts.users, { rows: 25, inserted: 25, updated: 0, unchanged: 0, deleted: 0 });
    const [u1] = await storedRows(database.db, tenantId, 'users');
    assert.deepEqual(u1?.fields, { enabledUser: 'true', username: 'user0001', givenName: 'Given0001', familyName: 'Family0001', identifier: '0001' });
    const roles = await storedRows(database.db, tenantId, 'roles');
    assert.equal(roles.length, 25);
    assert.deepEqual(roles.find((x) => x.sourcedId === 'u0010@sch1')?.fields, {
      userSourcedId: 'u0010',
      roleType: 'primary',
      role: 'teacher',
      orgSourcedId: 'sch1',
    });
    assert.equal((await storedRows(database.db, tenantId, 'classes')).find((c) => c.sourcedId === 'cls1')?.fields.title, 'Algebra "Honors" 1');

    const row = await pullRow(database.db, r.pullId);
    assert.deepEqual([row.status, row.version, row.mode, row.import_id, row.error], ['succeeded', '1.2', 'full', r.importId, null]);
    assert.equal(row.cursor?.toISOString(), r.cursor);
  });

  it('1.1 paths: detection falls back to v1p1 on a 404, and 1.2-ish users read as 1.1 or as 1.2 store the same roles', async () => {
    const f = await start({ version: '1.1', paths: 'v1p1' });
    const as11 = await tenant('Read as 1.1');
    const r11 = await pull(f, as11);
    assertSucceeded(r11);
    assert.equal(r11.version, '1.1');
    assert.equal(f.requests[1]?.path, '/ims/oneroster/rostering/v1p2/orgs', 'the probe');
    assert.equal(f.requests[1]?.status, 404);

    const as12 = await tenant('Read as 1.2 on v1p1 paths');
    const r12 = await pull(f, as12, { baseUrl: `${f.baseUrl}/v1p1`, version: '1.2' });
    assertSucceeded(r12);
    assert.ok(f.requests.slice(-3).every((q) => q.path.startsWith('/ims/oneroster/v1p1/')));
    assert.deepEqual(content(await storedRows(database.db, as12, 'roles')), content(await storedRows(database.db, as11, 'roles')));
    assert.deepEqual(content(await storedRows(database.db, as12, 'enrollments')), content(await storedRows(database.db, as11, 'enrollments')));
  });

  it('a delta asks dateLastModified> since the last pull and applies changes and tombstones; a repeated full pull changes nothing', async () => {
    const f = await start();
    const tenantId = await tenant('Delta');
    const clock = { now: new Date('2026-01-06T00:00:00.000Z') };
    const now = () => clock.now;
    const first = await pull(f, tenantId, {}, now);
    assertSucceeded(first);
    assert.equal(first.cursor, '2026-01-05T23:55:00.000Z', 'start less the 5-minute overlap');
    const before = await storedRows(database.db, tenantId);

    clock.now = new Date('2026-01-06T01:00:00.000Z');
    const again = await pull(f, tenantId, { mode: 'full' }, now);
    assert.deepEqual(again.totals, { created: 0, updated: 0, unchanged: before.length, deleted: 0 });
    assert.deepEqual(await storedRows(database.db, tenantId), before, 'nothing rewritten, dateLastModified untouched');

    const users = sampleUsers(25);
    const changed = '2026-01-06T12:00:00.000Z';
    f.setData('users', [
      ...users.slice(0, 1),
      { ...users[1], givenName: 'Renamed', dateLastModified: changed },
      { ...users[2], status: 'tobedeleted', dateLastModified: changed },
      ...users.slice(3),
    ]);
    clock.now = new Date('2026-01-06T13:00:00.000Z');
    const delta = await pull(f, tenantId, { mode: 'delta' }, now);
    assertSucceeded(delta);
    assert.equal(delta.since, '2026-01-06T00:55:00.000Z', 'the cursor of the last successful pull');
    const userQueries = f.requests.filter((q) => q.path.endsWith('/users') && q.status === 200).at(-1);
    assert.equal(userQueries?.query.filter, "dateLastModified>'2026-01-06T00:55:00.000Z'");
    assert.equal(delta.records['/users'], 2);
    assert.deepEqual(delta.counts.users, { rows: 2, inserted: 0, updated: 1, unchanged: 0, deleted: 1 });
    assert.deepEqual(delta.counts.roles, { rows: 2, inserted: 0, updated: 0, unchanged: 1, deleted: 1 }, "the deleted user's role goes with it");
    const after = await storedRows(database.db, tenantId, 'users');
    assert.equal(after.find((u) => u.sourcedId === 'u0002')?.fields.givenName, 'Renamed');
    assert.deepEqual(
      after.filter((u) => u.status === 'tobedeleted').map((u) => [u.sourcedId, u.dateLastModified]),
      [['u0003', changed]],
    );
  });

  it('a provider failing mid-pull (500 on page 3, for good) fails the pull, leaves the tenant untouched and records why', async () => {
    const failing = { on: false };
    const f = await start({
      quirks: {
        intercept: (q) =>
          failing.on && q.path === '/users' && Number(q.query.get('offset')) >= 20
            ? { status: 500, body: { imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_description: 'database on fire' } }
            : undefined,
      },
    });
    const tenantId = await tenant('Failing');
    assertSucceeded(await pull(f, tenantId, { pageSize: 10 }));
    const before = await storedRows(database.db, tenantId);
    // The provider changes users on pages 1 and 3 and drops an org, then fails on page 3 of /users.
    const users = sampleUsers(25);
    f.setData(
      'users',
      users.map((u) => ({ ...u, givenName: `Changed ${String(u.sourcedId)}` })),
    );
    f.setData('orgs', sampleOrgs().slice(1));
    failing.on = true;
    const r = await pull(f, tenantId, { pageSize: 10 });
    assert.equal(r.status, 'failed');
    assert.equal(r.failure?.code, 'http_error');
    assert.match(r.failure?.message ?? '', /\/users\?limit=10&offset=20 answered 500: failure: database on fire; nothing was changed$/);
    assert.equal(r.importId, null);
    assert.deepEqual(await storedRows(database.db, tenantId), before);
    const row = await pullRow(database.db, r.pullId);
    assert.deepEqual([row.status, row.cursor, row.import_id], ['failed', null, null]);
    assert.match(row.error ?? '', /^http_error: GET .* answered 500/);
  });

  it('refuses invalid records all or nothing, naming endpoint, sourcedId and JSON field (bad date, unknown class, bad role)', async () => {
    const data = district();
    (data.academicSessions as Array<Record<string, unknown>>)[1] = { ...(data.academicSessions?.[1] ?? {}), startDate: '2025-02-30' };
    data.enrollments?.push({ ...data.enrollments[0], sourcedId: 'enr-ghost', class: { sourcedId: 'cls-never-sent', type: 'class' } });
    const users = data.users as Array<Record<string, unknown>>;
    users[4] = { ...users[4], roles: [{ roleType: 'primary', role: 'wizard', org: { sourcedId: 'sch1', type: 'org' } }] };
    const f = await start({ data });
    const tenantId = await tenant('Invalid');
    const r = await pull(f, tenantId);
    assert.equal(r.status, 'failed');
    assert.equal(r.failure?.code, 'invalid_data');
    const found = r.diagnostics.filter((d) => d.severity === 'error').map(({ code, endpoint, sourcedId, field }) => ({ code, endpoint, sourcedId, field }));
    assert.deepEqual(
      found.sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
      [
        { code: 'value.format', endpoint: '/academicSessions', sourcedId: 'term1', field: 'startDate' },
        { code: 'ref.missing', endpoint: '/enrollments', sourcedId: 'enr-ghost', field: 'class' },
        { code: 'value.enum', endpoint: '/users', sourcedId: 'u0005', field: 'roles/0/role' },
      ],
    );
    assert.deepEqual(await storedRows(database.db, tenantId), []);
    const row = await pullRow(database.db, r.pullId);
    assert.equal(row.status, 'failed');
    assert.equal((row.diagnostics as unknown[]).length, r.diagnostics.length);
    assert.ok(row.import_id, 'the import that refused the data is linked');
  });

  describe('hostile input', () => {
    it('an oversized response fails with too_large', async () => {
      const f = await start();
      const r = await pull(f, await tenant('Oversized'), { maxResponseBytes: 4096 });
      assert.deepEqual([r.status, r.failure?.code], ['failed', 'too_large']);
      assert.match(r.failure?.message ?? '', /response body of \d+ bytes exceeds the 4096-byte limit/);
    });

    it('a body that is not JSON fails with invalid_response, quoting its start', async () => {
      const f = await start({
        quirks: {
          intercept: (q) => (q.path === '/classes' ? { status: 200, headers: { 'content-type': 'text/html' }, raw: '<html>maintenance</html>' } : undefined),
        },
      });
      const r = await pull(f, await tenant('Not JSON'));
      assert.deepEqual([r.status, r.failure?.code], ['failed', 'invalid_response']);
      assert.match(r.failure?.message ?? '', /the body is not JSON: <html>maintenance<\/html>/);
    });

    it('a record with a 10 MB string fails the pull naming that field, without importing anything', async () => {
      const data = district();
      const users = data.users as Array<Record<string, unknown>>;
      users[0] = { ...users[0], familyName: 'x'.repeat(10 * 1024 * 1024) };
      const f = await start({ data });
      const tenantId = await tenant('Huge string');
      const r = await pull(f, tenantId);
      assert.deepEqual([r.status, r.failure?.code, r.importId], ['failed', 'invalid_data', null]);
      const huge = r.diagnostics.find((d) => d.code === 'rest.too-long');
      assert.deepEqual([huge?.endpoint, huge?.sourcedId, huge?.field], ['/users', 'u0001', 'familyName']);
      // The blanked required value is reported too, by the validator, at the same place.
      assert.ok(r.diagnostics.some((d) => d.code === 'value.required' && d.sourcedId === 'u0001' && d.field === 'familyName'));
      assert.deepEqual(await storedRows(database.db, tenantId), []);
    });

    it('a cancelled pull stops, is recorded as cancelled and changes nothing', async () => {
      const f = await start();
      const tenantId = await tenant('Cancelled');
      const controller = new AbortController();
      const r = await pull(f, tenantId, {
        pageSize: 5,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.name === '/classes') controller.abort();
        },
      });
      assert.deepEqual([r.status, r.failure?.code], ['failed', 'cancelled']);
      assert.deepEqual(await storedRows(database.db, tenantId), []);
      assert.equal((await pullRow(database.db, r.pullId)).error, 'cancelled: the pull was cancelled; nothing was changed');
    });
  });
});
