import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { importPackage } from '../oneroster/csv/import/import-package.js';
import { oneRosterScopes } from '../tenancy/scopes.js';
import { memoryPackage } from '../testing/memory-package.js';
import { samplePackage } from '../testing/oneroster-sample.js';
import { runEdhub } from '../testing/run-edhub.js';
import { cliContext, testApp } from '../testing/test-app.js';

describe('edhub conformance lti-tool', function () {
  this.timeout(60_000);

  it('exits 2 with the reason when the tool cannot be registered', async () => {
    const tool = 'http://127.0.0.1:9';
    const run = await runEdhub([
      'conformance',
      'lti-tool',
      '--login-url',
      `${tool}/login`,
      '--launch-url',
      `${tool}/launch`,
      '--jwks-url',
      `${tool}/jwks`,
      '--registration-url',
      `${tool}/register`,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /could not run: Dynamic Registration failed: could not open the tool's registration URL/);
  });

  it('refuses a run without a registration with a specific message', async () => {
    const run = await runEdhub([
      'conformance',
      'lti-tool',
      '--login-url',
      'http://127.0.0.1:9/login',
      '--launch-url',
      'http://127.0.0.1:9/launch',
      '--jwks-url',
      'http://127.0.0.1:9/jwks',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--registration-url|--client-id/);
  });
});

describe('edhub conformance oneroster-rest', function () {
  this.timeout(120_000);

  it('runs the chosen cases against a live provider and prints the table; a wrong secret cannot run (exit 2)', async () => {
    const t = await testApp();
    const server = t.app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { tenantId } = await t.tenantWithAdmin('Conformance District');
      const imported = await importPackage(t.database.db, memoryPackage(samplePackage('1.2')), {
        tenantId,
        sourceName: 's.zip',
        ctx: cliContext,
        copyIn: t.database.copyIn,
      });
      assert.equal(imported.status, 'succeeded');
      const { prefix, names } = oneRosterScopes('1.2');
      const c = await t.oauthClient(
        tenantId,
        names.map((n) => `${prefix}${n}`),
      );
      const args = ['conformance', 'oneroster-rest', '--base-url', `${base}/ims/oneroster`, '--client-id', c.clientId, '--only', 'headers,auth.missing-token'];
      const run = await runEdhub([...args, '--client-secret', c.clientSecret]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /headers\.x-total-count-accurate/);
      assert.match(run.stdout, /auth\.missing-token/);
      const refused = await runEdhub([...args, '--client-secret', 'ehs_wrong']);
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    } finally {
      server.close();
      await t.close();
    }
  });
});
