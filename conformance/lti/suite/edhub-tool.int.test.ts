import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LtiErrorCode } from '../../../src/lti/errors.js';
import { createPlatform } from '../../../src/lti/registrations/platforms.js';
import type { TenantId } from '../../../src/tenancy/ids.js';
import { type TestApp, testApp } from '../../../src/testing/test-app.js';
import { TamperTable } from '../emulator/tamper/tamper-table.js';
import { loadSuiteCases } from './cases.js';
import { runLtiToolSuiteCommand } from './command.js';
import type { LtiSuiteReport, PlatformDetails } from './report.js';
import { runLtiToolSuite } from './run-suite.js';

/** Every case of lti-tool-cases.json; a case added or dropped must be noticed here. */
const CASE_COUNT = 43;

/**
 * The EdHub check that refuses each reject case (src/lti/errors.ts), in case-table order: proof that
 * each forged launch was stopped by the check it targets, not by something incidental on the way.
 */
const EDHUB_REFUSALS: Record<string, LtiErrorCode> = {
  'no-kid': 'kid-missing',
  'unknown-kid': 'kid-unknown',
  'alg-none': 'alg-not-allowed',
  'hs256-public-key': 'alg-not-allowed',
  'foreign-signature': 'signature-invalid',
  'not-a-jwt': 'jwt-malformed',
  'wrong-version': 'version-unsupported',
  'missing-version': 'version-missing',
  'exp-iat-invalid': 'token-expired',
  expired: 'token-expired',
  'iat-in-future': 'iat-in-future',
  'missing-message-type': 'message-type-missing',
  'missing-required-claims': 'version-missing',
  'missing-roles': 'roles-missing',
  'missing-deployment-id': 'deployment-id-missing',
  'missing-sub': 'sub-missing',
  'empty-sub': 'sub-empty',
  'missing-resource-link-id': 'required-claim-missing',
  'missing-resource-link': 'required-claim-missing',
  'missing-deep-linking-settings': 'required-claim-missing',
  'missing-nonce': 'nonce-missing',
  'replayed-nonce': 'nonce-replayed',
  'wrong-nonce': 'nonce-mismatch',
  // the tamper posts a state no login issued
  'state-mismatch': 'state-unknown',
  'wrong-iss': 'iss-mismatch',
  'wrong-aud': 'aud-mismatch',
  'extra-aud': 'aud-untrusted',
  // the tamper's aud array carries the untrusted party too, which EdHub refuses before looking at azp
  'azp-mismatch': 'aud-untrusted',
  // the login's lti_deployment_id and the claim differ
  'unknown-deployment': 'deployment-id-mismatch',
  'target-link-outside-tool': 'target-link-uri-not-allowed',
};

/** An EdHub app on a real loopback port (the emulator and the simulated browser reach it over HTTP), on a real clock. */
async function startEdhub(overrides: Parameters<typeof testApp>[0] = {}): Promise<{ t: TestApp; server: Server; baseUrl: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // outboundAllow: EdHub fetches the emulator's JWKS and OpenID configuration on loopback.
  const t = await testApp({ baseUrl, outboundAllow: ['127.0.0.0/8'], ...overrides });
  // The emulator stamps id_tokens with the real time; EdHub's test clock must move with it.
  Object.defineProperty(t.clock, 'now', { get: () => new Date() });
  server.on('request', t.app);
  return { t, server, baseUrl };
}

async function stopEdhub(e: { t: TestApp; server: Server } | undefined): Promise<void> {
  if (!e) return;
  e.server.closeAllConnections();
  await new Promise<void>((resolve) => e.server.close(() => resolve()));
  await e.t.close();
}

function toolUrls(baseUrl: string) {
  return { loginUrl: `${baseUrl}/lti/login`, launchUrl: [`${baseUrl}/lti/launch`], jwksUrl: `${baseUrl}/.well-known/jwks.json` };
}

/** The LTI error codes EdHub logged since `mark` (one line per refused launch). */
function refusalsSince(t: TestApp, mark: number): string[] {
  return t.logs
    .slice(mark)
    .map((l) => JSON.parse(l) as { lti?: { code?: string } })
    .flatMap((l) => (l.lti?.code ? [l.lti.code] : []));
}

function assertEveryCasePassed(report: LtiSuiteReport): void {
  const tableIds = loadSuiteCases(
    new Set(
      TamperTable.load()
        .list()
        .map((x) => x.id),
    ),
  ).map((c) => c.id);
  assert.equal(report.cases.length, CASE_COUNT);
  assert.deepEqual(
    report.cases.map((c) => c.id),
    tableIds,
  );
  const failed = report.cases.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason} (${c.observed.status} ${c.observed.text ?? c.observed.error})`);
  assert.deepEqual(failed, []);
  assert.deepEqual(report.totals, { ...report.totals, cases: CASE_COUNT, passed: CASE_COUNT, failed: 0 });
  for (const c of report.cases) {
    if (c.expected === 'reject') {
      assert.ok(c.observed.status === 400 || c.observed.status === 401, `${c.id}: ${c.observed.status}`);
      assert.match(c.observed.text ?? '', /EdHub could not complete this LTI request/, c.id);
    } else {
      assert.equal(c.observed.status, 200, c.id);
      assert.match(c.observed.text ?? '', /^Welcome, /, c.id);
    }
  }
}

function assertRefusedByTheirChecks(report: LtiSuiteReport, refusals: string[]): void {
  const rejectIds = report.cases.filter((c) => c.expected === 'reject').map((c) => c.id);
  assert.deepEqual(
    refusals,
    rejectIds.map((id) => EDHUB_REFUSALS[id]),
  );
}

describe('edhub conformance lti-tool against EdHub’s own LTI 1.3 tool', function () {
  this.timeout(120_000);
  let edhub: Awaited<ReturnType<typeof startEdhub>> | undefined;
  let tenantId: TenantId;
  let adminKey: string;

  before(async () => {
    edhub = await startEdhub();
    ({ tenantId, adminKey } = await edhub.t.tenantWithAdmin('Conformance District'));
  });
  after(() => stopEdhub(edhub));

  it('passes every case when EdHub registers itself by Dynamic Registration (the admin confirmation page submitted by the browser)', async () => {
    const { t, baseUrl } = edhub as NonNullable<typeof edhub>;
    const invitation = await t.http.post('/api/v1/lti/registration-invitations').auth(adminKey, { type: 'bearer' }).send({ name: 'conformance' }).expect(201);
    const out = { stdout: '', stderr: '' };
    const mark = t.logs.length;
    const code = await runLtiToolSuiteCommand(
      { ...toolUrls(baseUrl), registrationUrl: invitation.body.url, acceptText: '^Welcome, ', json: true },
      { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } },
    );
    assert.equal(code, 0, out.stderr + out.stdout.slice(0, 2000));
    const report = JSON.parse(out.stdout) as LtiSuiteReport;
    assertEveryCasePassed(report);
    assertRefusedByTheirChecks(report, refusalsSince(t, mark));

    // The platform details went to stderr (stdout is one JSON document) and name what EdHub stored.
    assert.equal(report.platform.registeredBy, 'dynamic-registration');
    assert.match(out.stderr, new RegExp(`client_id +${report.platform.clientId}\\n`));
    const row = await t.database.db.selectFrom('lti_platforms').selectAll().where('client_id', '=', report.platform.clientId).executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.tenant_id, row.issuer, row.auth_url, row.jwks_url, row.registered_via],
      [tenantId, report.platform.issuer, report.platform.authorizationUrl, report.platform.jwksUrl, 'dynamic'],
    );
    const deployments = await t.database.db.selectFrom('lti_deployments').select('deployment_id').where('platform_id', '=', row.id).execute();
    assert.deepEqual(
      deployments.map((d) => d.deployment_id),
      [report.platform.deploymentId],
    );
  });

  it('passes every case with a registration made by hand in EdHub (client_id and deployment given to the suite)', async () => {
    const { t, baseUrl } = edhub as NonNullable<typeof edhub>;
    let registered: PlatformDetails | undefined;
    const mark = t.logs.length;
    const report = await runLtiToolSuite({
      ...toolUrls(baseUrl),
      targetLinkUri: `${baseUrl}/lti/launch`,
      clientId: 'edhub-by-hand',
      deploymentId: 'deployment-by-hand',
      onPlatformReady: async (p) => {
        registered = p;
        // What an administrator types into EdHub from the details the command prints.
        await createPlatform(t.database.db, t.ctx, tenantId, {
          name: 'Conformance emulator',
          issuer: p.issuer,
          clientId: p.clientId,
          authUrl: p.authorizationUrl,
          tokenUrl: p.tokenUrl,
          jwksUrl: p.jwksUrl,
          deployments: [p.deploymentId],
        });
      },
    });
    assert.deepEqual([registered?.clientId, registered?.deploymentId, registered?.registeredBy], ['edhub-by-hand', 'deployment-by-hand', 'hand']);
    assertEveryCasePassed(report);
    assertRefusedByTheirChecks(report, refusalsSince(t, mark));
  });
});

describe('edhub conformance lti-tool --anonymous-launches against EdHub with ltiAllowAnonymousLaunches', function () {
  this.timeout(60_000);
  let edhub: Awaited<ReturnType<typeof startEdhub>> | undefined;
  after(() => stopEdhub(edhub));

  it('expects and sees the launch without sub accepted, and still the empty sub refused', async () => {
    edhub = await startEdhub({ ltiAllowAnonymousLaunches: true });
    const { t, baseUrl } = edhub;
    const { tenantId } = await t.tenantWithAdmin('Anonymous District');
    const report = await runLtiToolSuite({
      ...toolUrls(baseUrl),
      clientId: 'edhub-anonymous',
      deploymentId: 'deployment-anonymous',
      anonymousLaunches: true,
      only: 'missing-sub,empty-sub',
      onPlatformReady: async (p) => {
        await createPlatform(t.database.db, t.ctx, tenantId, {
          issuer: p.issuer,
          clientId: p.clientId,
          authUrl: p.authorizationUrl,
          tokenUrl: p.tokenUrl,
          jwksUrl: p.jwksUrl,
          deployments: [p.deploymentId],
        });
      },
    });
    assert.deepEqual(
      report.cases.map((c) => [c.id, c.expected, c.outcome, c.pass, c.observed.status]),
      [
        ['missing-sub', 'accept', 'accepted', true, 200],
        ['empty-sub', 'reject', 'rejected', true, 400],
      ],
    );
    assert.match(report.cases[0]?.observed.text ?? '', /^Welcome, an anonymous user/);
  });
});
