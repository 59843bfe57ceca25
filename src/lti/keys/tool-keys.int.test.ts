import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type TestApp, testApp } from '../../testing/test-app.js';
import { ACTIVATION_DELAY_SECONDS, JWKS_MAX_AGE_SECONDS, RETIRED_KEY_PUBLISH_SECONDS } from './key-schedule.js';
import { ToolKeys } from './tool-keys.js';

/** The tool's RS256 signing keys: vault storage, /.well-known/jwks.json, and rotation with overlap (issue 5 item 3). */
describe('LTI tool signing keys and /.well-known/jwks.json', function () {
  this.timeout(60_000);
  let t: TestApp;
  let keys: ToolKeys;

  before(async () => {
    t = await testApp();
    keys = new ToolKeys(t.database.db, t.vault, () => t.clock.now);
  });
  after(() => t.close());

  const jwks = async () => (await t.http.get('/.well-known/jwks.json').expect(200)).body as { keys: Record<string, unknown>[] };
  const kids = async () => (await jwks()).keys.map((k) => k.kid);
  const verify = async (token: string) => jwtVerify(token, createLocalJWKSet(await jwks()), { algorithms: ['RS256'], currentDate: t.clock.now });

  it('makes the first key on first use: a 2048-bit RS256 public key, served with Cache-Control max-age, its private half sealed in the vault', async () => {
    const res = await t.http.get('/.well-known/jwks.json').expect(200);
    assert.equal(res.headers['cache-control'], `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    assert.equal(res.body.keys.length, 1);
    const [key] = res.body.keys;
    assert.deepEqual([key.kty, key.alg, key.use, key.e], ['RSA', 'RS256', 'sig', 'AQAB']);
    assert.equal(Buffer.from(key.n, 'base64url').length * 8, 2048);
    assert.equal(key.d, undefined, 'no private member is published');
    const row = await t.database.db.selectFrom('lti_tool_keys').selectAll().executeTakeFirstOrThrow();
    const secret = await t.database.db
      .selectFrom('vault_secrets')
      .selectAll()
      .where('id', '=', row.private_key_secret_id as string)
      .executeTakeFirstOrThrow();
    assert.equal(secret.purpose, 'lti.tool-signing-key');
    assert.equal(secret.tenant_id, null);
    assert.ok(!secret.ciphertext.toString('latin1').includes('PRIVATE KEY'), 'sealed, not plaintext');
    assert.match((await t.vault.getString(null, secret.id)).trim(), /^-----BEGIN PRIVATE KEY-----/);
  });

  it('signs tokens with the current key (kid in the header), which verify against the JWKS, valid for at most 5 minutes', async () => {
    const token = await keys.sign({ iss: 'edhub', aud: 'platform' }, 3600);
    const { payload, protectedHeader } = await verify(token);
    assert.deepEqual(await kids(), [protectedHeader.kid]);
    assert.equal((payload.exp as number) - (payload.iat as number), 300);
  });

  it('rotation: the new key is published at once but signs only after one JWKS cache period; the old one stays published for the overlap, then goes, and its private key is deleted', async () => {
    const [oldKid] = await kids();
    const tokenFromOld = await keys.sign({ n: 1 });
    const t0 = t.clock.now.getTime();
    const at = (seconds: number) => {
      t.clock.now = new Date(t0 + seconds * 1000);
    };
    const report = await keys.rotate(t.ctx);
    assert.equal(report.previousKid, oldKid);
    assert.equal(new Date(report.activatesAt).getTime() - t.clock.now.getTime(), ACTIVATION_DELAY_SECONDS * 1000);
    assert.equal(new Date(report.previousPublishedUntil as string).getTime() - new Date(report.activatesAt).getTime(), RETIRED_KEY_PUBLISH_SECONDS * 1000);
    assert.deepEqual((await kids()).sort(), [oldKid, report.kid].sort(), 'both published');
    assert.equal(decodeProtectedHeader(await keys.sign({ n: 2 })).kid, oldKid, 'the old key still signs during the cache period');
    assert.equal(
      (
        await t.http
          .post('/api/v1/lti/keys/rotate')
          .set('Authorization', `Bearer ${await t.platformKey()}`)
          .send({})
      ).status,
      409,
      'one rotation at a time',
    );
    const pendingDetail = (
      await t.http
        .post('/api/v1/lti/keys/rotate')
        .set('Authorization', `Bearer ${await t.platformKey()}`)
        .send({})
    ).body.detail;
    assert.match(pendingDetail, new RegExp(`key ${report.kid} is already scheduled`));

    at(ACTIVATION_DELAY_SECONDS + 1);
    const tokenFromNew = await keys.sign({ n: 3 });
    assert.equal(decodeProtectedHeader(tokenFromNew).kid, report.kid);
    assert.deepEqual((await kids()).sort(), [oldKid, report.kid].sort(), 'old key published during the overlap');
    assert.ok(await verify(tokenFromNew));
    const states = Object.fromEntries((await keys.list()).map((k) => [k.kid, k.state]));
    assert.deepEqual(states, { [oldKid as string]: 'retired', [report.kid]: 'current' });

    // A token the old key signed just before its successor took over still verifies at its last valid moment.
    at(ACTIVATION_DELAY_SECONDS - 1);
    const lastFromOld = await keys.sign({ n: 4 });
    assert.equal(decodeProtectedHeader(lastFromOld).kid, oldKid);
    at(ACTIVATION_DELAY_SECONDS - 1 + 299);
    assert.ok(await verify(lastFromOld));
    await assert.rejects(verify(tokenFromOld), { code: 'ERR_JWT_EXPIRED' }, 'older ones simply expire');
    at(ACTIVATION_DELAY_SECONDS + RETIRED_KEY_PUBLISH_SECONDS - 1);
    assert.deepEqual((await kids()).sort(), [oldKid, report.kid].sort(), 'still published at the last second of the overlap');

    at(ACTIVATION_DELAY_SECONDS + RETIRED_KEY_PUBLISH_SECONDS + 1);
    assert.deepEqual(await kids(), [report.kid], 'the old key left the JWKS after the overlap');
    const next = await keys.rotate(t.ctx, { immediate: true });
    assert.equal(next.deletedPrivateKeys, 1);
    assert.equal(new Date(next.activatesAt).getTime(), t.clock.now.getTime(), '--immediate signs at once');
    const oldRow = await t.database.db
      .selectFrom('lti_tool_keys')
      .selectAll()
      .where('kid', '=', oldKid as string)
      .executeTakeFirstOrThrow();
    assert.equal(oldRow.private_key_secret_id, null);
    assert.equal(decodeProtectedHeader(await keys.sign({ n: 5 })).kid, next.kid);
    const audit = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'lti.tool_key.rotate').execute();
    assert.equal(audit.length, 2);
  });

  it('an immediate rotation replaces a key still waiting to sign', async () => {
    const waiting = await keys.rotate(t.ctx);
    const now = await keys.rotate(t.ctx, { immediate: true });
    const listed = await keys.list();
    assert.ok(!listed.some((k) => k.kid === waiting.kid), 'the waiting key is gone');
    assert.equal(listed.find((k) => k.kid === now.kid)?.state, 'current');
    assert.ok(!(await kids()).includes(waiting.kid));
  });

  it('another instance sees the same keys (nothing is kept only in memory)', async () => {
    const other = new ToolKeys(t.database.db, t.vault, () => t.clock.now);
    assert.deepEqual(
      (await other.jwks()).keys.map((k) => k.kid),
      await kids(),
    );
    const token = await other.sign({ from: 'instance 2' });
    assert.ok(await verify(token));
  });
});
