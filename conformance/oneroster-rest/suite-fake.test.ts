import assert from 'node:assert/strict';
import { sampleClasses, sampleEnrollments, sampleOrgs, sampleUsers } from '../../src/testing/fakes/fake-oneroster-data.js';
import { type FakeOneRosterProvider, type FakeProviderQuirks, startFakeOneRosterProvider } from '../../src/testing/fakes/fake-oneroster-provider.js';
import { selected } from './options.js';
import type { SuiteReport } from './report.js';
import { runOneRosterRestSuite, runOneRosterRestSuiteCommand } from './run-suite.js';

const CLIENT = { clientId: 'conformance', clientSecret: "s3cret with 'quotes'" };

/** The cases the quirks below break, and cases they must leave alone (so a failure is the quirk's doing). */
const BROKEN_BY_QUIRKS = ['headers.x-total-count', 'paging.link', 'filter.invalid-field', 'sort.invalid-field', 'fields.invalid-field', 'auth.missing-token'];
const UNTOUCHED = [
  'endpoint.getAllUsers',
  'endpoint.getUser',
  'schema.getAllAcademicSessions',
  'paging.offset',
  'paging.walk',
  'filter.equals',
  'google.teachers',
];

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
}

const statusOf = (r: SuiteReport, id: string) => r.cases.find((c) => c.id === id)?.status;
const reasonOf = (r: SuiteReport, id: string) => r.cases.find((c) => c.id === id)?.reason ?? '';

describe('conformance oneroster-rest against the quirky fake provider', () => {
  let fake: FakeOneRosterProvider | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function start(quirks: FakeProviderQuirks): Promise<FakeOneRosterProvider> {
    const users = sampleUsers(30);
    fake = await startFakeOneRosterProvider({
      version: '1.2',
      paths: 'v1p2',
      auth: 'oauth2',
      ...CLIENT,
      data: { users, orgs: sampleOrgs(), classes: sampleClasses(), enrollments: sampleEnrollments('cls1', users) },
      quirks,
    });
    return fake;
  }

  it('passes the header, Link and error-envelope cases on the well-behaved fake', async () => {
    const f = await start({});
    const r = await runOneRosterRestSuite({ baseUrl: f.baseUrl, ...CLIENT, only: [...BROKEN_BY_QUIRKS, ...UNTOUCHED] });
    assert.deepEqual(
      r.cases.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.reason}`),
      [],
    );
    assert.equal(r.exitCode, 0);
  });

  it('fails without X-Total-Count, without Link, with wrapped error envelopes — and rides out 429s mid-paging', async () => {
    const f = await start({
      omitTotalCount: true,
      omitLinkHeader: true,
      errorEnvelope: 'imsx_StatusInfo',
      throttle: { everyNthRequest: 5, retryAfterSeconds: 0 },
    });
    const { out, io } = capture();
    const code = await runOneRosterRestSuiteCommand({ baseUrl: f.baseUrl, ...CLIENT, json: true }, io);
    assert.equal(code, 1);
    const r = JSON.parse(out.stdout) as SuiteReport;
    assert.equal(r.exitCode, 1);
    for (const id of BROKEN_BY_QUIRKS) assert.equal(statusOf(r, id), 'failed', id);
    for (const id of UNTOUCHED) assert.equal(statusOf(r, id), 'passed', `${id}: ${reasonOf(r, id)}`);
    assert.match(reasonOf(r, 'headers.x-total-count'), /lack it: GET http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/rostering\/v1p2\/\w+.*: missing/);
    assert.match(reasonOf(r, 'paging.link'), /has no Link header/);
    assert.match(
      reasonOf(r, 'filter.invalid-field'),
      /filter=edhubNoSuchField%3D%27x%27: the body wraps the status in "imsx_StatusInfo"; the OAS declares imsx_StatusInfoDType unwrapped$/,
    );
    assert.match(reasonOf(r, 'headers.x-total-count-accurate'), /classes\?limit=100: no X-Total-Count \(the collection holds 2\)/);
    assert.ok(
      f.requests.some((x) => x.status === 429),
      'the fake throttled',
    );
    assert.equal(statusOf(r, 'google.line-item-put'), 'not run', 'writes are off by default');
    assert.equal(statusOf(r, 'auth.insufficient-scope'), 'not run', 'no limited credential');
    assert.equal(r.totals.total, r.cases.length);
    assert.equal(r.totals.passed + r.totals.failed + r.totals.notRun, r.totals.total);
  });

  it('prints one table line per case with its status, and the totals and exit code', async () => {
    const f = await start({ omitLinkHeader: true });
    const { out, io } = capture();
    const code = await runOneRosterRestSuiteCommand({ baseUrl: f.baseUrl, ...CLIENT, only: 'paging,auth.insufficient-scope' }, io);
    assert.equal(code, 1);
    const lines = out.stdout.split('\n');
    assert.match(lines.find((l) => l.includes(' paging.link ')) ?? '', /^FAIL +paging\.link +Link carries .* has no Link header/);
    assert.match(lines.find((l) => l.includes(' paging.offset ')) ?? '', /^PASS +paging\.offset /);
    assert.match(lines.find((l) => l.includes(' auth.insufficient-scope ')) ?? '', /^NOT RUN +auth\.insufficient-scope .* no limited credential/);
    assert.match(out.stdout, /\n3 passed, 1 failed, 1 not run, 5 cases in \d+\.\d s\nexit code 1\n$/);
    assert.equal(out.stderr, '');
  });
});

describe('conformance oneroster-rest: when the suite cannot run (exit code 2)', () => {
  it('cannot reach the token endpoint', async () => {
    const { out, io } = capture();
    const code = await runOneRosterRestSuiteCommand(
      { baseUrl: 'http://127.0.0.1:9/ims/oneroster', tokenUrl: 'http://127.0.0.1:9/oauth/token', ...CLIENT, timeoutMs: 2000 },
      io,
    );
    assert.equal(code, 2);
    assert.match(out.stderr, /could not run: the provider or its token endpoint cannot be reached: POST http:\/\/127\.0\.0\.1:9\/oauth\/token failed/);
    assert.match(out.stdout, /exit code 2\n$/);
  });

  it('is refused by the token endpoint (wrong secret), and reports it in JSON too', async () => {
    const fake = await startFakeOneRosterProvider({ version: '1.2', paths: 'v1p2', auth: 'oauth2', ...CLIENT, data: {} });
    try {
      const { out, io } = capture();
      const code = await runOneRosterRestSuiteCommand({ baseUrl: fake.baseUrl, clientId: CLIENT.clientId, clientSecret: 'wrong', json: true }, io);
      assert.equal(code, 2);
      const r = JSON.parse(out.stdout) as SuiteReport;
      assert.equal(r.exitCode, 2);
      assert.deepEqual(r.cases, []);
      assert.match(r.couldNotRun ?? '', /token endpoint refused the credentials.*401.*invalid_client/);
    } finally {
      await fake.close();
    }
  });

  it('refuses options it cannot run with, before any request', async () => {
    for (const [options, message] of [
      [{ baseUrl: 'ftp://host/ims/oneroster', ...CLIENT }, /--base-url must be an absolute http\(s\) URL/],
      [{ baseUrl: 'https://host/ims/oneroster', ...CLIENT, version: '1.2' as const, auth: 'oauth1' as const }, /oauth1 is OneRoster 1\.1 only/],
      [{ baseUrl: 'https://host/ims/oneroster', clientId: '', clientSecret: 'x' }, /--client-id and --client-secret are required/],
      [{ baseUrl: 'https://host/ims/oneroster', ...CLIENT, limitedClientId: 'only-the-id' }, /go together/],
    ] as const) {
      const { out, io } = capture();
      assert.equal(await runOneRosterRestSuiteCommand(options, io), 2);
      assert.match(out.stderr, message);
      assert.equal(out.stdout, '');
    }
  });

  it('selects cases by id, area and prefix with --only and --skip', () => {
    const o = (only: string[], skip: string[] = []) => ({ only, skip });
    assert.ok(selected('paging.link', o(['paging'])));
    assert.ok(selected('paging.link', o(['paging.*'])));
    assert.ok(selected('endpoint.getAllUsers', o(['endpoint.getAll*'])));
    assert.ok(!selected('endpoint.getUser', o(['endpoint.getAll*'])));
    assert.ok(!selected('paging.link', o([], ['paging.link'])));
    assert.ok(!selected('pagingx.link', o(['paging'])));
    assert.ok(selected('sds.username', o([])));
  });
});
