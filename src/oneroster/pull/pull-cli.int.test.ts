import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleAcademicSessions, sampleClasses, sampleCourses, sampleEnrollments, sampleOrgs, sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { type FakeOneRosterProvider, startFakeOneRosterProvider, TOKEN_PATH } from '../../testing/fakes/fake-oneroster-provider.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from '../../testing/fakes/oneroster-client-for-fake.js';
import { runEdhub } from '../../testing/run-edhub.js';
import { freshDatabase, type TestDatabase, usingPostgres } from '../../testing/test-database.js';

describe('edhub oneroster pull (CLI, end to end)', function () {
  this.timeout(180_000);
  let fake: FakeOneRosterProvider;
  let database: TestDatabase | undefined;
  let env: Record<string, string | undefined>;
  let tenantId: string;

  before(async () => {
    const users = sampleUsers(12);
    fake = await startFakeOneRosterProvider({
      version: '1.2',
      paths: 'v1p2',
      auth: 'oauth2',
      clientId: FAKE_CLIENT_ID,
      clientSecret: FAKE_CLIENT_SECRET,
      data: {
        orgs: sampleOrgs(),
        academicSessions: sampleAcademicSessions(),
        courses: sampleCourses(),
        classes: sampleClasses(),
        users,
        enrollments: sampleEnrollments('cls1', users),
      },
    });
    database = usingPostgres() ? await freshDatabase() : undefined;
    env = { EDHUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'edhub-pull-cli-')), DATABASE_URL: database?.url, EDHUB_PULL_CLIENT_SECRET: FAKE_CLIENT_SECRET };
    const created = await runEdhub(['tenant', 'create', 'CLI pull district', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    tenantId = JSON.parse(created.stdout).id;
  });
  after(async () => {
    await fake.close();
    await database?.close();
    rmSync(env.EDHUB_DATA_DIR as string, { recursive: true, force: true });
  });

  const pullArgs = () => [
    'oneroster',
    'pull',
    '--tenant',
    tenantId,
    '--from',
    fake.baseUrl,
    '--client-id',
    FAKE_CLIENT_ID,
    '--token-url',
    `${fake.url}${TOKEN_PATH}`,
  ];

  it('pulls everything the first time (secret from EDHUB_PULL_CLIENT_SECRET), then the changes since, printing a summary table', async () => {
    const first = await runEdhub([...pullArgs(), '--json'], env);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const result = JSON.parse(first.stdout);
    assert.deepEqual([result.status, result.mode, result.version], ['succeeded', 'full', '1.2']);
    assert.deepEqual(
      result.totals,
      { created: 2 + 2 + 1 + 2 + 12 + 12 + 12, updated: 0, unchanged: 0, deleted: 0 },
      'orgs, sessions, course, classes, users, roles, enrollments',
    );

    fake.setData(
      'users',
      sampleUsers(12, new Date(Date.now() + 60_000).toISOString()).map((u) => (u.sourcedId === 'u0003' ? { ...u, givenName: 'Changed' } : u)),
    );
    const second = await runEdhub(pullArgs(), env);
    assert.equal(second.code, 0, second.stderr + second.stdout);
    const lines = second.stdout.trim().split('\n');
    assert.match(
      lines[0] ?? '',
      /^pull [0-9a-f-]{36} succeeded: OneRoster 1\.2 delta since \S+ from http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster in [\d.]+ s; \d+ request\(s\), \d+ page\(s\), 0 retries$/,
    );
    assert.match(lines[1] ?? '', /^FILE +ROWS +CREATED +UPDATED +UNCHANGED +DELETED$/);
    assert.ok(
      lines.some((l) => /^users +12 +0 +1 +11 +0$/.test(l)),
      second.stdout,
    );
    assert.match(lines.at(-1) ?? '', /^the next delta starts from \d{4}-\d\d-\d\dT/);
  });

  it('exits 1 with the reason on failure, and never prints the secret', async () => {
    const wrong = 'not-the-secret-4711';
    const run = await runEdhub([...pullArgs(), '--full'], { ...env, EDHUB_PULL_CLIENT_SECRET: wrong });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^pull [0-9a-f-]{36} failed: OneRoster \? full from /);
    assert.match(
      run.stdout,
      /failed \(token_error\): token request to http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed \(401\): invalid_client: client authentication failed; nothing was changed/,
    );
    assert.ok(!`${run.stdout}${run.stderr}`.includes(wrong));
    const missing = await runEdhub([...pullArgs(), '--json'], { ...env, EDHUB_PULL_CLIENT_SECRET: undefined });
    assert.equal(missing.code, 1);
    assert.deepEqual(JSON.parse(missing.stdout), {
      error: { code: 'validation-failed', message: 'give the secret with --client-secret or in EDHUB_PULL_CLIENT_SECRET' },
    });
  });
});
