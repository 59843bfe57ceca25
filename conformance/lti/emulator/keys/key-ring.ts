import { type CryptoKey, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';

/** One platform signing key: RS256, identified by its RFC 7638 thumbprint. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The SPKI PEM of the public key: what the "HS256 keyed with the public key" tamper abuses. */
  publicPem: string;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

/**
 * The platform's keys (shared/standards/lti.md §11): the newest signs, older ones stay published so
 * tokens they signed still verify — rotation mid-session is one of the emulator's knobs.
 */
export class KeyRing {
  private keys: SigningKey[];

  private constructor(first: SigningKey) {
    this.keys = [first];
  }

  /** A ring whose signing key is `first` (a key kept in a file, see key-file.ts), else a new one. */
  static async create(first?: SigningKey): Promise<KeyRing> {
    return new KeyRing(first ?? (await generateSigningKey()));
  }

  get current(): SigningKey {
    return this.keys[this.keys.length - 1] as SigningKey;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** A new signing key; the previous ones stay in the JWKS until retired. */
  async rotate(): Promise<SigningKey> {
    const next = await generateSigningKey();
    this.keys.push(next);
    return next;
  }

  /** Drops a key from the JWKS (never the current one). */
  retire(kid: string): boolean {
    if (kid === this.current.kid) return false;
    const before = this.keys.length;
    this.keys = this.keys.filter((k) => k.kid !== kid);
    return this.keys.length < before;
  }
}
