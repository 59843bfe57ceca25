import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, insecureDefaults, loadConfig, redactConfig } from './load-config.js';

const KEY = `${'q'.repeat(43)}=`;

describe('configuration', () => {
  it('has documented defaults when nothing is set', () => {
    const c = loadConfig({ env: {}, cwd: '/srv/edhub' });
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, '/srv/edhub/data');
    assert.equal(c.baseUrl, 'http://localhost:8080');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.tokenTtlSeconds, 3600);
    assert.equal(c.bodyLimitBytes, 1048576);
    assert.equal(c.trustProxy, false);
    assert.deepEqual(c.masterKeysPrevious, []);
    assert.equal(c.databaseUrl, undefined);
  });

  it('reads each setting from its environment variable, typed by the schema', () => {
    const c = loadConfig({
      env: {
        PORT: '9000',
        EDHUB_BASE_URL: 'https://edhub.example.org/',
        EDHUB_DATA_DIR: '/var/lib/edhub',
        DATABASE_URL: 'postgres://u:p@db:5432/edhub',
        EDHUB_MASTER_KEY: KEY,
        EDHUB_MASTER_KEYS_PREVIOUS: `${'a'.repeat(64)}, ${'b'.repeat(64)}`,
        EDHUB_LOG_LEVEL: 'debug',
        EDHUB_TOKEN_TTL_SECONDS: '600',
        EDHUB_TRUST_PROXY: 'true',
      },
    });
    assert.equal(c.port, 9000);
    assert.equal(c.baseUrl, 'https://edhub.example.org');
    assert.equal(c.dataDir, '/var/lib/edhub');
    assert.equal(c.databaseUrl, 'postgres://u:p@db:5432/edhub');
    assert.deepEqual(c.masterKeysPrevious, ['a'.repeat(64), 'b'.repeat(64)]);
    assert.equal(c.logLevel, 'debug');
    assert.equal(c.tokenTtlSeconds, 600);
    assert.equal(c.trustProxy, true);
  });

  it('layers defaults < EDHUB_CONFIG file < environment < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edhub-config-'));
    writeFileSync(join(dir, 'edhub.json'), JSON.stringify({ port: 7000, logLevel: 'warn', tokenTtlSeconds: 120 }));
    const c = loadConfig({ env: { EDHUB_CONFIG: 'edhub.json', EDHUB_LOG_LEVEL: 'error' }, cwd: dir, overrides: { port: 0 } });
    assert.equal(c.port, 0);
    assert.equal(c.logLevel, 'error');
    assert.equal(c.tokenTtlSeconds, 120);
  });

  it('names every invalid setting with its environment variable', () => {
    assert.throws(
      () => loadConfig({ env: { PORT: 'eighty', EDHUB_LOG_LEVEL: 'loud', EDHUB_MASTER_KEY: 'short', DATABASE_URL: 'mysql://x' } }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /\/port \(PORT\): must be integer/);
        assert.match(err.message, /\/logLevel \(EDHUB_LOG_LEVEL\): must be one of "fatal"/);
        assert.match(err.message, /\/masterKey \(EDHUB_MASTER_KEY\): must match pattern/);
        assert.match(err.message, /\/databaseUrl \(DATABASE_URL\): must match pattern/);
        return true;
      },
    );
  });

  it('refuses unknown keys and non-JSON in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edhub-config-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ prot: 1 }));
    assert.throws(() => loadConfig({ env: { EDHUB_CONFIG: join(dir, 'bad.json') } }), /\/prot: is not an allowed property/);
    writeFileSync(join(dir, 'broken.json'), '{ port: 1 ');
    assert.throws(() => loadConfig({ env: { EDHUB_CONFIG: join(dir, 'broken.json') } }), /is not valid JSON/);
    assert.throws(() => loadConfig({ env: { EDHUB_CONFIG: join(dir, 'missing.json') } }), /cannot read EDHUB_CONFIG file .*ENOENT/);
  });

  it('warns about a generated master key and a plain-HTTP public base URL', () => {
    const dev = insecureDefaults(loadConfig({ env: {} }));
    assert.equal(dev.length, 2);
    assert.match(dev[0] ?? '', /EDHUB_MASTER_KEY is not set/);
    assert.match(dev[1] ?? '', /fine for local development/);
    const exposed = insecureDefaults(loadConfig({ env: { EDHUB_BASE_URL: 'http://edhub.example.org', EDHUB_MASTER_KEY: KEY } }));
    assert.deepEqual(exposed, ['EDHUB_BASE_URL is plain HTTP (http://edhub.example.org): OAuth and LTI require HTTPS outside local development.']);
    assert.deepEqual(insecureDefaults(loadConfig({ env: { EDHUB_BASE_URL: 'https://edhub.example.org', EDHUB_MASTER_KEY: KEY } })), []);
  });

  it('redacts secrets and database passwords for display', () => {
    const c = loadConfig({ env: { EDHUB_MASTER_KEY: KEY, EDHUB_MASTER_KEYS_PREVIOUS: 'a'.repeat(64), DATABASE_URL: 'postgres://edhub:s3cret@db/edhub' } });
    const shown = JSON.stringify(redactConfig(c));
    assert.equal(shown.includes(KEY), false);
    assert.equal(shown.includes('a'.repeat(64)), false);
    assert.equal(shown.includes('s3cret'), false);
    assert.match(shown, /postgres:\/\/edhub:\[redacted\]@db\/edhub/);
  });
});
