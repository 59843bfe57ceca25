import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { TOOL_TOKEN_MAX_LIFETIME_SECONDS } from '../keys/key-schedule.js';
import type { Registration } from '../registrations/registration.js';

/**
 * What signs the client assertion: the tool's current RS256 key with its kid in the header, iat set
 * and exp at most `lifetimeSeconds` later. ToolKeys (src/lti/keys/tool-keys.ts) is one; its private
 * key is imported once and kept, so a token request costs one signature, not a key import.
 */
export interface AssertionSigner {
  sign(payload: JWTPayload, lifetimeSeconds?: number): Promise<string>;
}

/** SEC §4.1.1 (fact sheet §7.2): exp − iat of the assertion; the security framework allows five minutes at most. */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = Math.min(300, TOOL_TOKEN_MAX_LIFETIME_SECONDS);

/**
 * The JWT a token request authenticates with (RFC 7523 §3, SEC §4.1.1): iss = sub = client_id; aud =
 * the authorization server — the registration's token audience when the platform published one
 * (DR `authorization_server`), else its token URL; a fresh jti, so the platform can refuse a replay.
 */
export function clientAssertion(signer: AssertionSigner, registration: Registration): Promise<string> {
  return signer.sign(
    {
      iss: registration.clientId,
      sub: registration.clientId,
      aud: registration.tokenAudience ?? registration.tokenUrl,
      jti: randomUUID(),
    },
    CLIENT_ASSERTION_LIFETIME_SECONDS,
  );
}
