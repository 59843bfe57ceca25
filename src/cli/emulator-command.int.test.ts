import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

describe('edhub lti emulator', function () {
  this.timeout(60_000);

  it('serves the platform emulator with a tool registered by hand, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'src/cli.ts'),
        'lti',
        'emulator',
        '--port',
        '0',
        '--log-level',
        'warn',
        '--tool-login-url',
        'http://127.0.0.1:9/login',
        '--tool-jwks-url',
        'http://127.0.0.1:9/jwks',
        '--tool-client-id',
        'cli-tool',
        '--tool-deployment-id',
        'cli-deployment',
      ],
      { cwd: projectRoot },
    );
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /LTI 1\.3 platform emulator: (\S+)[\s\S]*tool registered +client_id (\S+), deployment (\S+)/.exec(out);
          if (m) resolve(m[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`emulator exited early (${code}): ${out}`)));
      });
      assert.match(out, /client_id cli-tool, deployment cli-deployment/);
      const config = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      assert.equal(config.issuer, url);
      const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: { alg: string }[] };
      assert.equal(jwks.keys[0]?.alg, 'RS256');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a bad flag value with a specific message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli.ts'), 'lti', 'emulator', '--port', '70000'], { cwd: projectRoot });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /--port <n>' argument '70000' is invalid\. must be a port number/);
  });
});
