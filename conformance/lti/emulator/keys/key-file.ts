import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CompactSign, calculateJwkThumbprint, compactVerify, exportJWK, exportSPKI, importJWK, type JWK } from 'jose';
import { generateSigningKey, type SigningKey } from './key-ring.js';

/** RSA members of a private JWK (RFC 7518 §6.3). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
/** SEC §6.1 asks for RSA keys of at least 2048 bits. */
const MIN_MODULUS_BITS = 2048;

/**
 * A platform signing key kept in a file, so the emulator keeps one issuer key across runs: a tool
 * registered by hand with the emulator's key (or a JWKS cached from an earlier run) keeps verifying
 * its id_tokens. The file holds one private RS256 JWK. When it does not exist a new key is generated
 * and written there (mode 0600); when it exists it must be an RSA private JWK of ≥ 2048 bits.
 */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (!existsSync(file)) {
    const key = await generateSigningKey();
    const { kty, n, e, d, p, q, dp, dq, qi } = await exportJWK(key.privateKey);
    writeFileSync(file, `${JSON.stringify({ kty, n, e, d, p, q, dp, dq, qi, kid: key.kid, alg: 'RS256', use: 'sig' }, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    return key;
  }
  return readSigningKey(file);
}

export async function readSigningKey(file: string): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (err) {
    throw new Error(`key file ${file}: not readable JSON (${(err as Error).message})`);
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error(`key file ${file}: expected an RSA JWK (kty "RSA" with n and e)`);
  }
  if (PRIVATE_MEMBERS.some((m) => typeof jwk[m] !== 'string')) throw new Error(`key file ${file}: the JWK has no private key (d, p, q, dp, dq, qi)`);
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') throw new Error(`key file ${file}: the key is for ${jwk.alg}, the emulator signs with RS256`);
  const bits = Buffer.from(jwk.n, 'base64url').length * 8;
  if (bits < MIN_MODULUS_BITS) throw new Error(`key file ${file}: a ${bits}-bit RSA key is too small (at least ${MIN_MODULUS_BITS})`);
  const publicMembers = { kty: 'RSA', n: jwk.n, e: jwk.e };
  let privateKey: Awaited<ReturnType<typeof importJWK>>;
  let publicKey: Awaited<ReturnType<typeof importJWK>>;
  try {
    privateKey = await importJWK({ ...jwk, ext: true }, 'RS256', { extractable: true });
    publicKey = await importJWK(publicMembers, 'RS256', { extractable: true });
  } catch (err) {
    throw new Error(`key file ${file}: not a usable RS256 key (${(err as Error).message})`);
  }
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error(`key file ${file}: not an asymmetric key`);
  // WebCrypto imports inconsistent RSA members without complaint: prove the pair signs and verifies.
  try {
    const probe = await new CompactSign(new TextEncoder().encode('edhub key file probe')).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    await compactVerify(probe, publicKey, { algorithms: ['RS256'] });
  } catch {
    throw new Error(`key file ${file}: not a usable RS256 key (its private members do not sign for its public key n, e)`);
  }
  const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : await calculateJwkThumbprint(publicMembers);
  return { kid, privateKey, publicJwk: { ...publicMembers, kid, alg: 'RS256', use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}
