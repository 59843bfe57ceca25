import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EdhubRun, runEdhub } from '../testing/run-edhub.js';

function json(run: EdhubRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** `edhub lti platform add|list|remove|invite` and `edhub lti keys rotate|list`, run as an operator would (README "LTI 1.3 tool"). */
describe('edhub lti … (CLI)', function () {
  this.timeout(120_000);
  const env = { EDHUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'edhub-lti-cli-')), DATABASE_URL: undefined, EDHUB_BASE_URL: 'https://edhub.example.org' };
  let tenantId: string;
  let platformId: string;

  before(async () => {
    tenantId = json(await runEdhub(['tenant', 'create', 'CLI District', '--json'], env)).id as string;
  });

  /** `edhub lti platform add --tenant <the test tenant>` with these options, then `extra`. */
  const platformAdd = (options: Record<string, string>, extra: string[] = []) => [
    'lti',
    'platform',
    'add',
    '--tenant',
    tenantId,
    ...Object.entries(options).flat(),
    ...extra,
  ];

  it('lti platform add registers a platform with its deployments and prints it (--json)', async () => {
    const out = json(
      await runEdhub(
        platformAdd(
          {
            '--issuer': 'https://canvas.instructure.com',
            '--client-id': '10000000000042',
            '--auth-url': 'https://sso.canvaslms.com/api/lti/authorize_redirect',
            '--token-url': 'https://sso.canvaslms.com/login/oauth2/token',
            '--jwks-url': 'https://sso.canvaslms.com/api/lti/security/jwks',
          },
          ['--deployment', '42:abc', '--deployment', '43:def', '--json'],
        ),
        env,
      ),
    );
    platformId = out.id as string;
    assert.equal(out.tenantId, tenantId);
    assert.equal(out.clientId, '10000000000042');
    assert.deepEqual(out.deployments, ['42:abc', '43:def']);
    assert.equal(out.registeredVia, 'manual');
  });

  it('refuses an invalid URL naming the option, and a duplicate (issuer, client_id)', async () => {
    const bad = await runEdhub(
      platformAdd({ '--issuer': 'nope', '--client-id': 'c', '--auth-url': 'https://a', '--token-url': 'https://a', '--jwks-url': 'https://a' }, ['--json']),
      env,
    );
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'validation-failed');
    assert.match(JSON.parse(bad.stdout).error.message, /^--issuer /);
    const dup = await runEdhub(
      platformAdd({
        '--issuer': 'https://canvas.instructure.com',
        '--client-id': '10000000000042',
        '--auth-url': 'https://a.example',
        '--token-url': 'https://a.example',
        '--jwks-url': 'https://a.example',
      }),
      env,
    );
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already registered/);
  });

  it('lti platform list shows it (table and --json)', async () => {
    const list = JSON.parse((await runEdhub(['lti', 'platform', 'list', '--tenant', tenantId, '--json'], env)).stdout);
    assert.deepEqual(
      list.map((p: { id: string }) => p.id),
      [platformId],
    );
    const text = await runEdhub(['lti', 'platform', 'list'], env);
    assert.match(text.stdout, /^ID\s+TENANT\s+ISSUER\s+CLIENT ID\s+DEPLOYMENTS\s+VIA/);
    assert.match(text.stdout, /10000000000042\s+42:abc,43:def\s+manual/);
  });

  it('lti platform invite prints a Dynamic Registration URL under EDHUB_BASE_URL', async () => {
    const out = json(await runEdhub(['lti', 'platform', 'invite', '--tenant', tenantId, '--json'], env));
    assert.match(out.url as string, /^https:\/\/edhub\.example\.org\/lti\/register\/ehr_[A-Za-z0-9_-]{43}$/);
  });

  it('lti keys rotate makes a key (the first one signs at once; the next waits one JWKS cache period)', async () => {
    const first = json(await runEdhub(['lti', 'keys', 'rotate', '--json'], env));
    assert.equal(first.previousKid, null);
    const second = json(await runEdhub(['lti', 'keys', 'rotate', '--json'], env));
    assert.equal(second.previousKid, first.kid);
    assert.equal(new Date(second.previousPublishedUntil as string).getTime() - new Date(second.activatesAt as string).getTime(), 3_600_000);
    const keys = JSON.parse((await runEdhub(['lti', 'keys', 'list', '--json'], env)).stdout);
    assert.deepEqual(
      keys.map((k: { state: string }) => k.state),
      ['next', 'current'],
    );
  });

  it('lti platform remove removes it', async () => {
    const out = json(await runEdhub(['lti', 'platform', 'remove', platformId, '--json'], env));
    assert.equal(out.id, platformId);
    assert.equal(JSON.parse((await runEdhub(['lti', 'platform', 'list', '--json'], env)).stdout).length, 0);
    const again = await runEdhub(['lti', 'platform', 'remove', platformId], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no LTI platform/);
  });
});
