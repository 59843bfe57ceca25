import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';
import { type EdhubRun, runEdhub } from '../testing/run-edhub.js';
import { freshDatabase, usingPostgres } from '../testing/test-database.js';

const ROSTER = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';

function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, EDHUB_LOG_LEVEL: 'warn', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

function json(run: EdhubRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('edhub CLI (embedded database)', function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'edhub-cli-'));
  const env = { EDHUB_DATA_DIR: dataDir, DATABASE_URL: undefined };
  let tenantId: string;

  it('tenant create/list --json print the documented shapes', async () => {
    const created = json(await runEdhub(['tenant', 'create', 'Springfield USD', '--json'], env));
    assert.deepEqual(Object.keys(created).sort(), ['id', 'name']);
    assert.equal(created.name, 'Springfield USD');
    tenantId = created.id as string;
    const list = JSON.parse((await runEdhub(['tenant', 'list', '--json'], env)).stdout);
    assert.deepEqual(
      list.map((t: { id: string }) => t.id),
      [tenantId],
    );
    assert.ok(existsSync(join(dataDir, 'master-keys.json')), 'the managed master keyring was generated');
    assert.equal(existsSync(join(dataDir, 'edhub.lock')), false, 'the CLI released the lock');
  });

  it('client create and apikey create/revoke print the documented shapes', async () => {
    const client = json(await runEdhub(['client', 'create', '--tenant', tenantId, '--scopes', `${ROSTER} audit.read`, '--json'], env));
    assert.match(client.clientId as string, /^ehc_/);
    assert.match(client.clientSecret as string, /^ehs_/);
    assert.deepEqual(client.scopes, [ROSTER, 'audit.read']);
    const key = json(await runEdhub(['apikey', 'create', '--tenant', tenantId, '--scopes', 'tenant.admin', '--json'], env));
    assert.match(key.id as string, /^[0-9a-f-]{36}$/);
    assert.match(key.key as string, /^ehk_/);
    const revoked = await runEdhub(['apikey', 'revoke', key.id as string], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /^revoked API key /);
  });

  it('fails with exit 1 and a specific message on bad input', async () => {
    const bad = await runEdhub(['client', 'create', '--tenant', tenantId, '--scopes', 'root', '--json'], env);
    assert.equal(bad.code, 1);
    assert.deepEqual(JSON.parse(bad.stdout), { error: { code: 'validation-failed', message: 'unknown scope "root"' } });
    const noTenant = await runEdhub(['apikey', 'create', '--tenant', '00000000-0000-0000-0000-000000000000', '--scopes', 'tenant.admin'], env);
    assert.equal(noTenant.code, 1);
    assert.match(noTenant.stderr, /no tenant 00000000-0000-0000-0000-000000000000/);
  });

  it('keys rotate-master re-wraps the vault under a new generated key', async () => {
    const out = json(await runEdhub(['keys', 'rotate-master', '--json'], env));
    assert.match(out.currentKeyId as string, /^[0-9a-f]{16}$/);
    assert.equal(typeof out.rewrapped, 'number');
  });

  describe('while a server holds the data directory', () => {
    let server: ChildProcess;
    let port: number;

    before(async () => {
      server = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli.ts'), 'serve', '--port', '0'], {
        env: childEnv({ ...env, EDHUB_LOG_LEVEL: 'info' }),
        cwd: projectRoot,
      });
      port = await new Promise<number>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (d) => {
          out += d;
          const m = /"port":(\d+).*"msg":"EdHub listening"/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        server.on('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
      });
    });

    it('routes CLI commands through the server, whose API then sees the result', async () => {
      const created = json(await runEdhub(['tenant', 'create', 'Shelbyville', '--json'], env));
      const key = json(await runEdhub(['apikey', 'create', '--platform', '--scopes', 'platform.admin', '--json'], env));
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/tenants/${created.id}`, { headers: { Authorization: `Bearer ${key.key}` } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { name: string }).name, 'Shelbyville');
      // A problem raised inside the server keeps its own code on the way back.
      const missing = await runEdhub(['client', 'revoke', 'ehc_doesnotexist0000000000', '--json'], env);
      assert.equal(missing.code, 1);
      assert.deepEqual(JSON.parse(missing.stdout), { error: { code: 'not-found', message: 'no OAuth client ehc_doesnotexist0000000000' } });
    });

    it('refuses a second server on the same data directory with a clear message', async () => {
      const second = await runEdhub(['serve', '--port', '0'], env);
      assert.equal(second.code, 1);
      assert.match(second.stderr, /is in use by an EdHub server \(pid \d+/);
    });

    it('shuts down cleanly on SIGTERM and releases the lock', async () => {
      const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(existsSync(join(dataDir, 'edhub.lock')), false);
      const after = await runEdhub(['tenant', 'list', '--json'], env);
      assert.equal(JSON.parse(after.stdout).length, 2);
    });
  });
});

// Registered only when the suite runs against PostgreSQL (CI runs it both ways).
if (usingPostgres())
  describe('edhub CLI (PostgreSQL)', function () {
    this.timeout(60_000);
    it('works against DATABASE_URL with no data-directory lock', async () => {
      const database = await freshDatabase();
      try {
        const dataDir = mkdtempSync(join(tmpdir(), 'edhub-cli-pg-'));
        const created = json(await runEdhub(['tenant', 'create', 'Capital City', '--json'], { DATABASE_URL: database.url, EDHUB_DATA_DIR: dataDir }));
        const row = await database.db
          .selectFrom('tenants')
          .select('name')
          .where('id', '=', created.id as string)
          .executeTakeFirstOrThrow();
        assert.equal(row.name, 'Capital City');
        assert.equal(existsSync(join(dataDir, 'edhub.lock')), false);
      } finally {
        await database.close();
      }
    });
  });
