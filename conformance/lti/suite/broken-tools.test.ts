import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TamperTable } from '../emulator/tamper/tamper-table.js';
import { startStubTool } from '../testing/stub-tool.js';
import { loadSuiteCases } from './cases.js';
import { runLtiToolSuiteCommand } from './command.js';
import type { LtiToolSuiteOptions } from './options.js';
import type { CaseResult, LtiSuiteReport } from './report.js';
import { type ScriptedAnswer, type ScriptedLaunch, type ScriptedTool, startScriptedTool } from './testing/scripted-tool.js';

/** Runs the command with captured output. */
async function run(options: LtiToolSuiteOptions) {
  const out = { stdout: '', stderr: '' };
  const code = await runLtiToolSuiteCommand(options, {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
  });
  return { code, ...out };
}

function byHand(tool: { loginUrl: string; launchUrl: string; jwksUrl: string; platform?: { authorizationEndpoint: string } }): LtiToolSuiteOptions {
  return {
    loginUrl: tool.loginUrl,
    launchUrl: tool.launchUrl,
    jwksUrl: tool.jwksUrl,
    clientId: 'broken-tool',
    deploymentId: 'broken-deployment',
    onPlatformReady: (p) => {
      tool.platform = { authorizationEndpoint: p.authorizationUrl };
    },
  };
}

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const reasons = (cases: CaseResult[]) => Object.fromEntries(cases.map((c) => [c.id, c.reason]));

describe('edhub conformance lti-tool against broken tools (the suite can fail)', function () {
  this.timeout(60_000);

  it('a tool that accepts every id_token unchecked fails exactly the reject cases, each "accepted", and the run exits 1', async () => {
    const stub = await startStubTool();
    try {
      const res = await run({ ...byHand(stub), json: true });
      assert.equal(res.code, 1, res.stderr);
      const report = JSON.parse(res.stdout) as LtiSuiteReport;
      const table = loadSuiteCases(
        new Set(
          TamperTable.load()
            .list()
            .map((t) => t.id),
        ),
      );
      const rejectIds = table.filter((c) => c.expected === 'reject').map((c) => c.id);
      assert.equal(rejectIds.length, 30);
      assert.deepEqual(
        report.cases.filter((c) => !c.pass).map((c) => [c.id, c.outcome, c.reason]),
        rejectIds.map((id) => [id, 'accepted', 'accepted']),
      );
      assert.deepEqual(
        report.cases.filter((c) => c.pass).map((c) => c.id),
        table.filter((c) => c.expected === 'accept').map((c) => c.id),
      );
      assert.deepEqual(report.totals, { ...report.totals, cases: 43, passed: 13, failed: 30 });
      // every case reached the tool: 43 launches plus the accepted launch the replayed-nonce case starts with
      assert.equal(stub.launches.length, 44);
      const noKid = report.cases.find((c) => c.id === 'no-kid');
      assert.deepEqual(noKid?.observed, { status: 200, url: stub.launchUrl, text: 'stub tool: launch received' });
      assert.equal(noKid?.name, 'Correct KID Required in Header');
    } finally {
      await stub.close();
    }
  });

  it('reports a 500 as "tool crashed", and a hang, a redirect loop, an off-site redirect, an oversized page and unmatched texts as failures of their own', async () => {
    const answers: Record<string, ScriptedAnswer | ((tool: ScriptedTool) => ScriptedAnswer)> = {
      mentor: { status: 500, body: 'Internal Server Error' },
      'no-role': 'hang',
      'short-role': (tool) => ({ status: 302, headers: { location: `${tool.launchUrl}?loop=1` } }),
      'unknown-role': { status: 302, headers: { location: 'http://192.0.2.10/elsewhere' } },
      'instructor-only-names': { status: 200, body: 'x'.repeat(2 * 1024 * 1024) },
      'student-no-pii': { status: 200, body: '<h1>Access denied</h1>' },
      'student-only-email': { status: 200, body: '<p>Something else entirely</p>' },
    };
    const answer = (launch: ScriptedLaunch, tool: ScriptedTool): ScriptedAnswer => {
      if (launch.fields.loop === '1') return { status: 302, headers: { location: `${tool.launchUrl}?loop=1` } };
      if (launch.claims.nonce !== launch.issuedNonce) return { status: 403, body: '<h1>Forbidden</h1><p>nonce mismatch</p>' };
      const scripted = answers[String(launch.claims.sub)];
      if (typeof scripted === 'function') return scripted(tool);
      return scripted ?? { status: 200, body: '<html><head><title>t</title></head><body><h1>Welcome &amp; hello</h1></body></html>' };
    };
    const tool = await startScriptedTool({ answer });
    try {
      const res = await run({
        ...byHand(tool),
        only: ['instructor,mentor,no-role,short-role', 'unknown-role', 'only-names', 'no-pii', 'only-email', 'wrong-nonce'],
        acceptText: 'Welcome',
        rejectText: 'Access denied',
        timeoutMs: 2000,
      });
      assert.equal(res.code, 1, res.stderr);
      const lines = res.stdout.split('\n');
      const header = lines.findIndex((l) => l.startsWith('result '));
      assert.match(lines[header] ?? '', /^result +case +expected +observed +ms +reason$/);
      const r = Object.fromEntries(lines.slice(header + 1, header + 10).map((l) => [l.split(/ +/)[1], l]));
      assert.match(r.instructor ?? '', /^PASS +instructor +accept +200 \/launch +\d+ +accepted \(200\)$/);
      assert.match(r['wrong-nonce'] ?? '', /^PASS +wrong-nonce +reject +403 \/launch +\d+ +rejected \(403\)$/);
      assert.match(r.mentor ?? '', /^FAIL +mentor +accept +500 \/launch +\d+ +tool crashed: 500$/);
      assert.match(r['no-role'] ?? '', /^FAIL +no-role +accept +no page +\d+ +timeout: no answer from http:\/\/127\.0\.0\.1:\d+\/launch within 2000 ms$/);
      assert.match(
        r['short-role'] ?? '',
        /^FAIL +short-role +accept +no page +\d+ +redirect loop: still redirecting after 20 steps \(last http:\/\/127\.0\.0\.1:\d+\/launch\?loop=1\)$/,
      );
      assert.match(
        r['unknown-role'] ?? '',
        /FAIL .* the tool sent the browser outside the tool and the platform, to http:\/\/192\.0\.2\.10\/elsewhere \(not followed\)$/,
      );
      assert.match(r['only-names'] ?? '', /FAIL .* network error: the response body is larger than 1048576 bytes \(http:\/\/127\.0\.0\.1:\d+\/launch\)$/);
      assert.match(r['no-pii'] ?? '', /^FAIL +no-pii +accept +200 \/launch +\d+ +rejected \(200 page matches --reject-text\)$/);
      assert.match(r['only-email'] ?? '', /FAIL .* inconclusive: the 200 page matches neither --accept-text nor --reject-text$/);
      assert.match(res.stdout, /\n\nFailed cases:\nno-pii \(No PII\): rejected \(200 page matches --reject-text\)\n/);
      assert.match(
        res.stdout,
        /\nmentor: tool crashed: 500\n {2}case {6}a mentor with role_scope_mentor naming the learner \(§4\.1, §5\.3\)\n {2}final URL http:\/\/127\.0\.0\.1:\d+\/launch\n {2}page {6}Internal Server Error\n/,
      );
      assert.match(res.stdout, /\n9 cases: 2 passed, 7 failed \(\d+\.\d s\)\n$/);
      // the platform details came first, on stdout in text mode
      assert.match(res.stdout, /client_id +broken-tool\n {2}deployment_id +broken-deployment\n/);
    } finally {
      await tool.close();
    }
  });

  it('never counts the platform’s refusal as the tool’s: a tool whose authentication request the platform refuses fails every case', async () => {
    const tool = await startScriptedTool({ answer: () => ({ status: 400, body: 'refused' }), redirectUri: (t) => `${t.url}/not-registered` });
    try {
      const res = await run({ ...byHand(tool), only: 'no-kid,instructor', json: true });
      assert.equal(res.code, 1, res.stderr);
      const report = JSON.parse(res.stdout) as LtiSuiteReport;
      const why = `the launch never delivered an id_token to the tool: the platform refused the tool's authentication request: invalid_request: redirect_uri "${tool.url}/not-registered" is not registered for this client`;
      assert.deepEqual(reasons(report.cases), { 'no-kid': why, instructor: why });
      assert.equal(tool.launches.length, 0);
    } finally {
      await tool.close();
    }
  });
});

describe('edhub conformance lti-tool when the run cannot happen (exit 2)', function () {
  this.timeout(30_000);

  it('an unreachable registration URL', async () => {
    const port = await deadPort();
    const base = `http://127.0.0.1:${port}`;
    const res = await run({ loginUrl: `${base}/login`, launchUrl: `${base}/launch`, jwksUrl: `${base}/jwks`, registrationUrl: `${base}/register` });
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(
      res.stderr,
      new RegExp(
        `^edhub conformance lti-tool: could not run: Dynamic Registration failed: could not open the tool's registration URL ${base}/register: network error: (connect )?ECONNREFUSED.*\\n$`,
      ),
    );
  });

  it('an unreachable tool registered by hand (JSON error on stdout with --json)', async () => {
    const base = `http://127.0.0.1:${await deadPort()}`;
    const res = await run({ loginUrl: `${base}/login`, launchUrl: [`${base}/launch`], jwksUrl: `${base}/jwks`, clientId: 'c', deploymentId: 'd', json: true });
    assert.equal(res.code, 2);
    assert.match(res.stderr, new RegExp(`could not run: the tool is unreachable: GET ${base}/jwks failed: .*ECONNREFUSED`));
    const body = JSON.parse(res.stdout) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'could-not-run');
    assert.match(body.error.message, /^the tool is unreachable: /);
  });

  it('a registration page that answers 400, and one whose registration the platform refuses', async () => {
    const failing = await startScriptedTool({
      answer: () => ({ status: 200 }),
      registration: async () => ({ status: 400, body: '<p>Unknown invitation</p>' }),
    });
    // A registration page with a confirmation form; on confirmation it POSTs a registration without the LTI block.
    const refused = await startScriptedTool({
      answer: () => ({ status: 200 }),
      registration: async ({ method, params }) => {
        if (method === 'GET') {
          return {
            status: 200,
            body: `<form method="post"><input type="hidden" name="openid_configuration" value="${params.openid_configuration}"><input type="hidden" name="registration_token" value="${params.registration_token}"><button>Register</button></form>`,
          };
        }
        const config = (await (await fetch(params.openid_configuration as string)).json()) as { registration_endpoint: string };
        await fetch(config.registration_endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${params.registration_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ client_name: 'no LTI block' }),
        });
        return { status: 200, body: '<p>Registration failed</p>' };
      },
    });
    try {
      const first = await run({ loginUrl: failing.loginUrl, launchUrl: failing.launchUrl, jwksUrl: failing.jwksUrl, registrationUrl: failing.registrationUrl });
      assert.equal(first.code, 2);
      assert.match(
        first.stderr,
        /could not run: Dynamic Registration failed: the tool answered 400 at http:\/\/127\.0\.0\.1:\d+\/register: Unknown invitation\n$/,
      );

      const second = await run({
        loginUrl: refused.loginUrl,
        launchUrl: refused.launchUrl,
        jwksUrl: refused.jwksUrl,
        registrationUrl: refused.registrationUrl,
        timeoutMs: 1500,
      });
      assert.equal(second.code, 2);
      assert.match(
        second.stderr,
        /could not run: Dynamic Registration did not complete: the platform received no registration from the tool \(last page 200 at http:\/\/127\.0\.0\.1:\d+\/register: Registration failed\); the platform refused the registration: invalid_client_metadata: https:\/\/purl\.imsglobal\.org\/spec\/lti-tool-configuration is required and must be an object\n$/,
      );
    } finally {
      await failing.close();
      await refused.close();
    }
  });

  it('contradictory options and an --only id that names no case', async () => {
    const urls = { loginUrl: 'http://127.0.0.1:1/login', launchUrl: 'http://127.0.0.1:1/launch', jwksUrl: 'http://127.0.0.1:1/jwks' };
    const both = await run({ ...urls, registrationUrl: 'http://127.0.0.1:1/register', clientId: 'c', deploymentId: 'd' });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /could not run: give either --registration-url \(Dynamic Registration\) or --client-id and --deployment-id/);
    const unknown = await run({ ...urls, clientId: 'c', deploymentId: 'd', only: 'no-kid,no-such-case' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /could not run: --only: no case "no-such-case"; known: no-kid, unknown-kid, /);
  });
});
