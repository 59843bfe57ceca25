import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDistrict } from '../../scripts/gen-district/generate.js';
import { importPackage } from '../../src/oneroster/csv/import/import-package.js';
import { openPackageAt } from '../../src/oneroster/csv/open-package.js';
import type { TenantId } from '../../src/tenancy/ids.js';
import { oneRosterScopes } from '../../src/tenancy/scopes.js';
import { cliContext, type TestApp, testApp } from '../../src/testing/test-app.js';
import type { SuiteReport } from './report.js';
import { runOneRosterRestSuite } from './run-suite.js';

const allScopes = (['1.1', '1.2'] as const).flatMap((v) => oneRosterScopes(v).names.map((n) => `${oneRosterScopes(v).prefix}${n}`));
const coreScopes = (['1.1', '1.2'] as const).map((v) => `${oneRosterScopes(v).prefix}roster-core.readonly`);

/** EdHub's provider holds no score scales, assessments or resources after a CSV import of the generated district. */
const NO_DATA_12 = ['getScoreScale', 'getAssessmentLineItem', 'getAssessmentResult', 'getResource'].flatMap((op) => [`endpoint.${op}`, `schema.${op}`]);
const NO_DATA_11 = ['endpoint.getResource', 'schema.getResource'];

function failures(r: SuiteReport): string {
  return r.cases
    .filter((c) => c.status === 'failed')
    .map((c) => `${c.id}: ${c.reason}`)
    .join('\n');
}

describe('conformance oneroster-rest against EdHub', () => {
  let t: TestApp;
  let server: Server;
  let baseUrl: string;
  let main: { clientId: string; clientSecret: string };
  let limited: { clientId: string; clientSecret: string };
  const dir = mkdtempSync(join(tmpdir(), 'edhub-or-conformance-'));

  before(async () => {
    // OAuth 1.0a signatures cover the URL, and EdHub checks them against its public base URL: so the
    // port is taken first and the app configured with it.
    let handler: RequestListener = (_req, res) => res.writeHead(503).end();
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    baseUrl = `${origin}/ims/oneroster`;
    // No per-client rate limit: the suite's few hundred requests would only wait for Retry-After.
    t = await testApp({ baseUrl: origin, onerosterRateLimitPerSecond: 0 });
    handler = t.app;
    const tenantId = (await t.tenantWithAdmin('Conformance District')).tenantId as TenantId;
    await generateDistrict({ students: 300, out: dir, version: '1.2', seed: 'conformance', mode: 'bulk' });
    // The generator writes semesters; /terms lists sessions of type term only, so these semesters are
    // called terms to give /terms, /terms/{id}/classes and /terms/{id}/gradingPeriods something to show.
    const sessions = join(dir, 'academicSessions.csv');
    writeFileSync(sessions, readFileSync(sessions, 'utf8').replaceAll(',semester,', ',term,'));
    const pkg = await openPackageAt(dir);
    try {
      const r = await importPackage(t.database.db, pkg, {
        tenantId,
        sourceName: 'district',
        ctx: cliContext,
        now: () => new Date(),
        copyIn: t.database.copyIn,
      });
      assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics.slice(0, 5)));
    } finally {
      await pkg.close();
    }
    main = await t.oauthClient(tenantId, allScopes, { oauth1: true });
    limited = await t.oauthClient(tenantId, coreScopes, { oauth1: true });
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The run finished, nothing failed, exactly `notRun` were not run (routes without data), exit 0. */
  function assertAllPassedBut(r: SuiteReport, notRun: string[]): void {
    assert.equal(r.couldNotRun, undefined);
    assert.equal(failures(r), '');
    assert.deepEqual(
      r.cases.filter((c) => c.status === 'not run').map((c) => c.id),
      notRun,
    );
    assert.equal(r.exitCode, 0);
  }

  it('1.2 with OAuth 2 and writes: every case passes; only the routes without data are not run', async () => {
    const r = await runOneRosterRestSuite({
      baseUrl,
      version: '1.2',
      ...main,
      // Google asks for its scopes by name; SDS (and the 1.1 run below) asks for none and gets the client's.
      scopes: allScopes.filter((s) => s.includes('/v1p2/')),
      limitedClientId: limited.clientId,
      limitedClientSecret: limited.clientSecret,
      writes: true,
    });
    assertAllPassedBut(r, NO_DATA_12);
    assert.ok(r.totals.passed > 120, `${r.totals.passed} passed`);
    for (const id of [
      'google.result-delete',
      'auth.insufficient-scope',
      'paging.link',
      'filter.or',
      'endpoint.getGradingPeriodsForTerm',
      'headers.x-total-count-accurate',
    ])
      assert.equal(r.cases.find((c) => c.id === id)?.status, 'passed', id);
  });

  it('1.1 with OAuth 1.0a and writes: every case passes; only the route without data is not run', async () => {
    const r = await runOneRosterRestSuite({
      baseUrl,
      version: '1.1',
      auth: 'oauth1',
      ...main,
      limitedClientId: limited.clientId,
      limitedClientSecret: limited.clientSecret,
      writes: true,
    });
    assertAllPassedBut(r, NO_DATA_11);
    assert.equal(r.cases.find((c) => c.id === 'filter.delta-role')?.status, 'passed');
  });
});
