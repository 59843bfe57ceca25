import { base64url, CompactSign, type JWTHeaderParameters } from 'jose';
import { generateSigningKey, type KeyRing, type SigningKey } from '../keys/key-ring.js';
import type { SignatureTamper } from './tamper-table.js';

/**
 * Serialises an id_token: RS256 with the platform's current key, unless a signature tamper asks for
 * `alg: none`, HS256 keyed with the public key PEM (the algorithm-confusion attack SEC §5.1.3 item 6
 * exists to stop), or a key outside the JWKS. `two-parts` drops the signature segment.
 */
export async function encodeToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  keys: KeyRing,
  signature: SignatureTamper | undefined,
  format: 'two-parts' | undefined,
): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  const token = await sign(header, payload, keys.current, signature);
  return format === 'two-parts' ? token.split('.').slice(0, 2).join('.') : token;
}

async function sign(header: Record<string, unknown>, payload: Uint8Array, key: SigningKey, signature: SignatureTamper | undefined): Promise<string> {
  switch (signature) {
    case undefined:
      return new CompactSign(payload).setProtectedHeader({ ...header, alg: 'RS256' } as JWTHeaderParameters).sign(key.privateKey);
    case 'none': {
      const encodedHeader = base64url.encode(JSON.stringify({ ...header, alg: 'none' }));
      return `${encodedHeader}.${base64url.encode(payload)}.`;
    }
    case 'hs256-public-key':
      return new CompactSign(payload).setProtectedHeader({ ...header, alg: 'HS256' } as JWTHeaderParameters).sign(new TextEncoder().encode(key.publicPem));
    case 'foreign-key': {
      const stranger = await generateSigningKey();
      return new CompactSign(payload).setProtectedHeader({ ...header, alg: 'RS256' } as JWTHeaderParameters).sign(stranger.privateKey);
    }
    default: {
      const unknown: never = signature;
      throw new Error(`unknown signature tamper ${unknown}`);
    }
  }
}
