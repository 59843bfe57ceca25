import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

function edhub(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli.ts'), ...args], { cwd: projectRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('edhub conformance lti-tool', function () {
  this.timeout(60_000);

  it('exits 2 with the reason when the tool cannot be registered', async () => {
    const tool = 'http://127.0.0.1:9';
    const run = await edhub([
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
    const run = await edhub([
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
