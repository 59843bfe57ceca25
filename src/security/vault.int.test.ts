import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantId } from '../tenancy/ids.js';
import { createTenant } from '../tenancy/tenants.js';
import { captureLogger } from '../testing/capture-logger.js';
import { dumpAllTables, leakForms } from '../testing/database-dump.js';
import { cliContext } from '../testing/test-app.js';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';
import { addGeneratedKey, loadKeyring, MasterKeyring, masterKeyFrom, pruneGeneratedKeys } from './master-keyring.js';
import { Vault, VaultError } from './vault.js';

const newKey = () => masterKeyFrom(randomBytes(32).toString('base64'));

describe('secret vault — AES-256-GCM envelope encryption', () => {
  let database: TestDatabase;
  let tenantA: TenantId;
  let tenantB: TenantId;

  beforeEach(async () => {
    database = await freshDatabase();
    tenantA = (await createTenant(database.db, cliContext, 'A')).id as TenantId;
    tenantB = (await createTenant(database.db, cliContext, 'B')).id as TenantId;
  });
  afterEach(() => database.close());

  it('stores a secret that reads back, and gives each tenant its own data key', async () => {
    const vault = new Vault(database.db, new MasterKeyring(newKey()));
    const a = await vault.put(tenantA, 'canvas.oauth', 'canvas-token-AAA');
    const b = await vault.put(tenantB, 'canvas.oauth', 'canvas-token-BBB');
    const platform = await vault.put(null, 'lti.signing-key', Buffer.from([0, 1, 2, 255]));
    assert.equal(await vault.getString(tenantA, a), 'canvas-token-AAA');
    assert.equal(await vault.getString(tenantB, b), 'canvas-token-BBB');
    assert.deepEqual(await vault.get(null, platform), Buffer.from([0, 1, 2, 255]));
    const keys = await database.db.selectFrom('vault_data_keys').select('tenant_id').execute();
    assert.deepEqual(keys.map((k) => k.tenant_id).sort(), [tenantA, tenantB, null].sort());
  });

  it('never stores the plaintext: not in any table, in any encoding, nor in the logs', async () => {
    const { logger, lines: logs } = captureLogger();
    const vault = new Vault(database.db, new MasterKeyring(newKey()));
    const secret = `xero-refresh-${randomBytes(16).toString('hex')}`;
    const id = await vault.put(tenantA, 'xero.refresh_token', secret);
    logger.info({ secretId: id, token: secret, nested: { secret } }, 'stored a credential');
    await vault.replace(tenantA, id, `${secret}-rotated`);

    const dump = await dumpAllTables(database.db);
    assert.ok(dump.includes(id), 'the dump covers the secrets table');
    for (const form of [...leakForms(secret), ...leakForms(`${secret}-rotated`)]) {
      assert.equal(dump.includes(form), false, `plaintext form ${form.slice(0, 12)}… found in the database`);
      assert.equal(logs.join('').includes(form), false, `plaintext form ${form.slice(0, 12)}… found in the logs`);
    }
    assert.ok(logs.join('').includes('[redacted]'));
  });

  it("cannot read another tenant's secret: the id alone is not enough", async () => {
    const vault = new Vault(database.db, new MasterKeyring(newKey()));
    const id = await vault.put(tenantA, 'sis.password', 'hunter2');
    await assert.rejects(vault.get(tenantB, id), VaultError);
    await assert.rejects(vault.get(null, id), VaultError);
    assert.equal(await vault.delete(tenantB, id), false);
    assert.equal(await vault.getString(tenantA, id), 'hunter2');
  });

  it('detects a ciphertext moved to another row (the associated data binds it to its row)', async () => {
    const vault = new Vault(database.db, new MasterKeyring(newKey()));
    const one = await vault.put(tenantA, 'x', 'first');
    const two = await vault.put(tenantA, 'x', 'second');
    const row = await database.db.selectFrom('vault_secrets').select('ciphertext').where('id', '=', one).executeTakeFirstOrThrow();
    await database.db.updateTable('vault_secrets').set({ ciphertext: row.ciphertext }).where('id', '=', two).execute();
    await assert.rejects(new Vault(database.db, new MasterKeyring(newKey())).get(tenantA, two), /not in the keyring/);
    await assert.rejects(vault.get(tenantA, two), /authentication failed/);
  });

  it('rotates the master key: re-wraps every data key, and secrets read back under the new key alone', async () => {
    const oldKey = newKey();
    const vault = new Vault(database.db, new MasterKeyring(oldKey));
    const a = await vault.put(tenantA, 's', 'alpha');
    const b = await vault.put(tenantB, 's', 'beta');
    const before = await database.db.selectFrom('vault_secrets').select(['id', 'ciphertext']).orderBy('id').execute();

    const next = newKey();
    // During the rotation an instance knows both keys…
    vault.useKeyring(new MasterKeyring(next, [oldKey]));
    const report = await vault.rotateMaster();
    assert.deepEqual(report, { rewrapped: 2, alreadyCurrent: 0, currentKeyId: next.id });
    assert.deepEqual(await vault.masterKeysInUse(), new Set([next.id]));
    // …and afterwards a fresh instance with only the new key reads everything.
    const fresh = new Vault(database.db, new MasterKeyring(next));
    assert.equal(await fresh.getString(tenantA, a), 'alpha');
    assert.equal(await fresh.getString(tenantB, b), 'beta');
    // Secrets themselves were not re-encrypted: only data keys were re-wrapped.
    const after = await database.db.selectFrom('vault_secrets').select(['id', 'ciphertext']).orderBy('id').execute();
    assert.deepEqual(after, before);
    // Rotating again is a no-op.
    assert.deepEqual(await vault.rotateMaster(), { rewrapped: 0, alreadyCurrent: 2, currentKeyId: next.id });
  });

  it('a running server keeps serving secrets while another process rotates (cached data keys, overlapping keyrings)', async () => {
    const oldKey = newKey();
    const server = new Vault(database.db, new MasterKeyring(oldKey));
    const id = await server.put(tenantA, 's', 'still readable');
    const next = newKey();
    await new Vault(database.db, new MasterKeyring(next, [oldKey])).rotateMaster();
    assert.equal(await server.getString(tenantA, id), 'still readable');
  });

  it('names the missing master key instead of failing obscurely', async () => {
    const vault = new Vault(database.db, new MasterKeyring(newKey()));
    const id = await vault.put(tenantA, 's', 'x');
    const stranger = new Vault(database.db, new MasterKeyring(newKey()));
    await assert.rejects(stranger.get(tenantA, id), /is wrapped by master key [0-9a-f]{16}, which is not in the keyring/);
  });

  it('manages a generated keyring file: created once, rotated, old keys pruned when unused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edhub-keyring-'));
    const first = loadKeyring({ dataDir, masterKeysPrevious: [] });
    assert.equal(first.generated, true);
    assert.equal(loadKeyring({ dataDir, masterKeysPrevious: [] }).generated, false);
    const file = first.keyring.file as string;
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const vault = new Vault(database.db, first.keyring);
    const id = await vault.put(tenantA, 's', 'kept');
    const added = addGeneratedKey(file);
    vault.useKeyring(loadKeyring({ dataDir, masterKeysPrevious: [] }).keyring);
    await vault.rotateMaster();
    const retired = pruneGeneratedKeys(file, await vault.masterKeysInUse());
    assert.deepEqual(retired, [first.keyring.current.id]);
    const content = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(content.keys.length, 1);
    assert.equal(content.current, added.id);
    const reloaded = new Vault(database.db, loadKeyring({ dataDir, masterKeysPrevious: [] }).keyring);
    assert.equal(await reloaded.getString(tenantA, id), 'kept');
  });

  it('rejects master keys that are not 32 bytes', () => {
    assert.throws(() => masterKeyFrom('c2hvcnQ='), /32 bytes/);
  });
});
