import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { UserAgent } from '../../browser/user-agent.js';
import { type Harness, startHarness } from '../../testing/harness.js';
import { startStubTool } from '../../testing/stub-tool.js';
import { runEmulatorCommand } from '../run-emulator-command.js';

describe('emulator console page (a person launches a tool) and `edhub lti emulator`', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('shows the tools, users, message types, tampers and the platform details', async () => {
    const res = await fetch(`${h.emulator.url}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, new RegExp(`<option value="${h.tool.clientId}">Stub tool \\(${h.tool.clientId}\\)</option>`));
    assert.match(html, /<option value="instructor" selected>Instructor \(all PII\)<\/option>/);
    assert.match(html, /<option value="LtiSubmissionReviewRequest">/);
    assert.match(html, /<option value="no-kid">no-kid — Correct KID Required in Header<\/option>/);
    assert.ok(html.includes(`<code>${h.emulator.endpoints.authorization}</code>`));
  });

  it('launches the chosen tool as the chosen user when the form is submitted, through to the tool', async () => {
    const browser = new UserAgent();
    const page = await browser.navigate(`${h.emulator.url}/console/launch`, {
      method: 'POST',
      form: {
        clientId: h.tool.clientId,
        userId: 'student-only-email',
        messageType: 'LtiResourceLinkRequest',
        contextId: 'course-101',
        custom: 'a=1\nb=$User.id',
      },
    });
    assert.equal(page.body, 'stub tool: launch received');
    assert.deepEqual(
      browser.steps.map((s) => [s.method, new URL(s.url).pathname, s.status]),
      [
        ['POST', '/console/launch', 303],
        ['GET', '/login', 302],
        ['GET', '/lti/auth', 200],
        ['POST', '/launch', 200],
      ],
    );
    const launch = h.stub.launches.at(-1);
    assert.ok(launch?.fields.id_token);
    const claims = decodeJwt(launch.fields.id_token);
    assert.equal(claims.sub, 'student-only-email');
    assert.equal(claims.nonce, launch.issued?.nonce);
    assert.deepEqual(claims['https://purl.imsglobal.org/spec/lti/claim/custom'], { a: '1', b: 'student-only-email' });
  });

  it('applies the tampers picked on the page', async () => {
    const browser = new UserAgent();
    const form = new URLSearchParams({ clientId: h.tool.clientId, userId: 'instructor', messageType: 'LtiResourceLinkRequest', contextId: 'course-101' });
    form.append('tamper', 'no-kid');
    form.append('tamper', 'wrong-version');
    const res = await fetch(`${h.emulator.url}/console/launch`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(res.status, 303);
    await browser.navigate(res.headers.get('location') as string);
    const token = h.stub.launches.at(-1)?.fields.id_token as string;
    assert.equal('kid' in decodeProtectedHeader(token), false);
    assert.equal(decodeJwt(token)['https://purl.imsglobal.org/spec/lti/claim/version'], '11.3');
  });

  it('shows what went wrong when a launch cannot be made', async () => {
    const res = await fetch(`${h.emulator.url}/console/launch`, { method: 'POST', body: new URLSearchParams({ clientId: 'nope' }) });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<p class="error">unknown tool \(client_id\) nope<\/p>/);
  });

  it('registers a tool by hand from the page', async () => {
    const before = h.emulator.tools().length;
    const res = await fetch(`${h.emulator.url}/console/tools`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        name: 'Hand tool',
        initiateLoginUri: h.stub.loginUrl,
        redirectUris: `${h.stub.launchUrl}\n${h.stub.url}/other`,
        jwksUri: h.stub.jwksUrl,
        deploymentId: 'dep-hand',
      }),
    });
    assert.equal(res.status, 303);
    const tool = h.emulator.tools().at(-1);
    assert.equal(h.emulator.tools().length, before + 1);
    assert.deepEqual([tool?.name, tool?.redirectUris, tool?.deployments], ['Hand tool', [h.stub.launchUrl, `${h.stub.url}/other`], ['dep-hand']]);
  });

  it('starts Dynamic Registration in a frame that returns to the console on org.imsglobal.lti.close', async () => {
    const res = await fetch(`${h.emulator.url}/console/dynamic-registration`, {
      method: 'POST',
      body: new URLSearchParams({ registrationUrl: `${h.stub.url}/register` }),
    });
    const html = await res.text();
    const src = /<iframe src="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&') as string;
    assert.equal(new URL(src).searchParams.get('openid_configuration'), h.emulator.endpoints.openidConfiguration);
    assert.match(new URL(src).searchParams.get('registration_token') ?? '', /^reg_/);
    assert.match(html, /org\.imsglobal\.lti\.close/);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${h.emulator.url}/nowhere`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'not_found', error_description: 'no such emulator endpoint: GET /nowhere' });
  });

  it('runEmulatorCommand serves the emulator, registers the tool given by flags and prints what a person needs', async () => {
    const stub = await startStubTool();
    const lines: string[] = [];
    const abort = new AbortController();
    const emulator = await runEmulatorCommand({
      port: 0,
      logLevel: 'silent',
      print: (line) => lines.push(line),
      signal: abort.signal,
      tool: { loginUrl: stub.loginUrl, redirectUris: [stub.launchUrl], jwksUrl: stub.jwksUrl, clientId: 'cli-tool', deploymentId: 'cli-dep' },
      toolRegistrationUrl: `${stub.url}/register`,
    });
    try {
      assert.match(lines[0] as string, /^LTI 1\.3 platform emulator: http:\/\/127\.0\.0\.1:\d+/);
      assert.ok(lines.includes(`  OIDC auth endpoint     ${emulator.endpoints.authorization}`));
      assert.ok(lines.includes('  tool registered        client_id cli-tool, deployment cli-dep'));
      assert.match(lines.at(-1) as string, /^ {2}Dynamic Registration {3}open http:\/\/127\.0\.0\.1:\d+\/register\?openid_configuration=/);
      const ticket = await emulator.launch({ clientId: 'cli-tool' });
      assert.equal(ticket.initiateLoginUri, stub.loginUrl);
      assert.equal(ticket.loginParams.lti_deployment_id, 'cli-dep');
    } finally {
      abort.abort();
      await stub.close();
    }
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(fetch(emulator.url), /fetch failed/);
  });
});
