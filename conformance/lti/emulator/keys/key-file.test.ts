import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import { issue } from '../../testing/issue.js';
import { runEmulatorCommand } from '../run-emulator-command.js';
import { startLtiEmulator } from '../start-emulator.js';
import { loadOrCreateSigningKey, readSigningKey } from './key-file.js';

/** The emulator's --key-file: one RS256 key kept across runs, for tools registered by hand (SEC §6.1). */
describe('emulator key file (--key-file)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edhub-emulator-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  it('creates the key file (0600, a private RS256 JWK) and signs with the same key on the next start: its id_tokens verify against the first run’s JWKS', async () => {
    const file = join(dir, 'platform-key.json');
    const first = await startLtiEmulator({ keyFile: file });
    const firstJwks = first.jwks();
    await first.close();

    const jwk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual([jwk.kty, jwk.alg, jwk.use, typeof jwk.d, typeof jwk.qi], ['RSA', 'RS256', 'sig', 'string', 'string']);
    assert.equal(jwk.kid, await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string }));
    assert.deepEqual(
      firstJwks.keys.map((k) => k.kid),
      [jwk.kid],
    );

    const second = await startLtiEmulator({ keyFile: file });
    try {
      assert.deepEqual(second.jwks(), firstJwks);
      const tool = second.registerTool({
        initiateLoginUri: 'http://127.0.0.1:9/login',
        redirectUris: ['http://127.0.0.1:9/launch'],
        jwksUri: 'http://127.0.0.1:9/jwks',
      });
      const { idToken } = await issue(second, tool);
      const { protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(firstJwks as never), { algorithms: ['RS256'], audience: tool.clientId });
      assert.equal(protectedHeader.kid, jwk.kid);
    } finally {
      await second.close();
    }
  });

  it('prints the kept key in edhub lti emulator', async () => {
    const file = join(dir, 'key.json');
    const lines: string[] = [];
    const emulator = await runEmulatorCommand({ port: 0, keyFile: file, logLevel: 'silent', print: (l) => lines.push(l) });
    await emulator.close();
    const kid = (JSON.parse(readFileSync(file, 'utf8')) as { kid: string }).kid;
    assert.ok(lines.includes(`  signing key            ${kid} (kept in ${file})`), lines.join('\n'));
  });

  it('uses the thumbprint as kid when the file has none', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const key = await readSigningKey(write('no-kid.json', jwk));
    assert.equal(key.kid, await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string }));
    assert.equal(key.publicJwk.d, undefined, 'the published key carries no private member');
    assert.match(key.publicPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses files that hold no usable RS256 private key, and the emulator does not start on one', async () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
    const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const cases: [string, unknown, RegExp][] = [
      ['garbage.json', 'not json {', /not readable JSON/],
      ['array.json', [1, 2], /expected an RSA JWK/],
      ['ec.json', ec, /expected an RSA JWK \(kty "RSA" with n and e\)/],
      ['public.json', rsa2048.publicKey.export({ format: 'jwk' }), /the JWK has no private key/],
      ['small.json', rsa1024, /a 1024-bit RSA key is too small \(at least 2048\)/],
      ['hs.json', { ...rsa2048.privateKey.export({ format: 'jwk' }), alg: 'HS256' }, /the key is for HS256, the emulator signs with RS256/],
      [
        'mismatched.json',
        { ...other, n: rsa2048.publicKey.export({ format: 'jwk' }).n },
        /not a usable RS256 key \(its private members do not sign for its public key n, e\)/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = write(name, content);
      await assert.rejects(loadOrCreateSigningKey(file), (err: Error) => err.message.startsWith(`key file ${file}: `) && message.test(err.message), name);
    }
    await assert.rejects(startLtiEmulator({ keyFile: join(dir, 'small.json') }), /too small/);
    assert.throws(() => JSON.parse(readFileSync(join(dir, 'garbage.json'), 'utf8')), 'a bad file is left as it was, never overwritten');
  });
});
