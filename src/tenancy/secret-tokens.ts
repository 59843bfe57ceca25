import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Credentials EdHub issues are 256-bit random strings with a kind prefix (so a leaked one is easy
 * to recognise and to route: `ehk_` API key, `eha_` access token, `ehs_` client secret, `ehc_`
 * client id). They are stored only as SHA-256: with 256 bits of entropy nothing can be guessed, so a
 * deliberately slow password hash would only slow every request.
 */
export type TokenKind = 'ehk' | 'eha' | 'ehs' | 'ehc';

export function newSecret(kind: TokenKind, bytes = 32): string {
  return `${kind}_${randomBytes(bytes).toString('base64url')}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretMatches(secret: string, hash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/** `ehk_Ab3d…` — enough to tell keys apart in a list, useless to an attacker. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 12)}…`;
}

export function kindOf(secret: string): TokenKind | undefined {
  const m = /^(ehk|eha|ehs|ehc)_[A-Za-z0-9_-]{16,}$/.exec(secret);
  return m ? (m[1] as TokenKind) : undefined;
}
