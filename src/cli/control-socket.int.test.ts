import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { Runtime } from '../runtime.js';
import { SchemaRegistry } from '../schemas/registry.js';
import { MasterKeyring, masterKeyFrom } from '../security/master-keyring.js';
import { Vault } from '../security/vault.js';
import { captureLogger } from '../testing/capture-logger.js';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';
import { controlSocketPath, sendControlCommand, startControlServer } from './control-socket.js';

/** Sends raw bytes, as a confused or hostile local client would, and returns the raw answer. */
function raw(path: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => socket.write(payload));
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('control socket (embedded mode)', () => {
  let database: TestDatabase;
  let control: { path: string; close(): Promise<void> };
  const actor = { type: 'cli' as const, id: 'ops@host' };

  before(async () => {
    database = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'edhub-control-'));
    const keyring = new MasterKeyring(masterKeyFrom(randomBytes(32).toString('base64')));
    const { logger } = captureLogger();
    const rt: Runtime = {
      config: loadConfig({ env: {}, overrides: { dataDir } }),
      logger,
      database,
      vault: new Vault(database.db, keyring),
      keyring,
      schemas: new SchemaRegistry(),
      reloadKeyring: () => keyring,
      close: async () => {},
    };
    control = await startControlServer(rt, logger);
  });
  after(async () => {
    await control.close();
    await database.close();
  });

  it('listens on a socket only its owner can use', () => {
    assert.equal(statSync(control.path).mode & 0o777, 0o600);
  });

  it('runs a command from the table and records the operator as the actor', async () => {
    const answer = await sendControlCommand(control.path, { command: 'tenant create', args: { name: 'Via socket' }, actor });
    assert.equal(answer.ok, true);
    const data = answer.ok ? (answer.result.data as { id: string; name: string }) : undefined;
    assert.equal(data?.name, 'Via socket');
    const event = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', data?.id ?? '')
      .executeTakeFirstOrThrow();
    assert.equal(event.actor_type, 'cli');
    assert.equal(event.actor_id, 'ops@host');
  });

  it('answers a command error with its code and message', async () => {
    const answer = await sendControlCommand(control.path, { command: 'tenant create', args: { name: '' }, actor });
    assert.deepEqual(answer, {
      ok: false,
      error: { code: 'validation-failed', message: 'tenant name must NOT have fewer than 1 characters; must match pattern "\\S"' },
    });
  });

  it('refuses unknown commands, `serve`, and names that are not own properties of the table', async () => {
    for (const command of ['drop everything', 'serve', '__proto__', 'constructor', 'toString']) {
      const answer = await sendControlCommand(control.path, { command, args: {}, actor });
      assert.deepEqual(answer, { ok: false, error: { code: 'unknown-command', message: `unknown command ${command}` } }, command);
    }
  });

  it('answers malformed JSON and oversized requests with an error, and keeps serving', async () => {
    assert.deepEqual(JSON.parse(await raw(control.path, '{not json\n')), { ok: false, error: { code: 'malformed', message: 'control request is not JSON' } });
    assert.deepEqual(JSON.parse(await raw(control.path, 'x'.repeat(1024 * 1024 + 10))), {
      ok: false,
      error: { code: 'too-large', message: 'control request too large' },
    });
    const still = await sendControlCommand(control.path, { command: 'tenant list', args: {}, actor });
    assert.equal(still.ok, true);
  });

  it('uses a short socket path when the data directory is too deep for a Unix socket name', () => {
    assert.equal(controlSocketPath('/srv/edhub/data'), '/srv/edhub/data/edhub.sock');
    const deep = `/srv/${'d'.repeat(120)}`;
    assert.match(controlSocketPath(deep), /\/edhub-[0-9a-f]{16}\.sock$/);
    assert.ok(Buffer.byteLength(controlSocketPath(deep)) < 100);
  });
});
