import { isObject } from '../claims.js';
import { LtiError } from '../errors.js';
import type { LaunchContext } from './launch-context.js';

/** An id_token larger than this is refused before any decoding (a real one is a few kilobytes). */
export const MAX_ID_TOKEN_LENGTH = 64 * 1024;

/**
 * Check 2 — format (fact sheet §3 #2; cert "JWT Passed is Not LTI 1.3 JWT"): a JWS compact
 * serialisation of exactly three base64url parts whose header and payload are JSON objects.
 */
export function checkFormat(ctx: LaunchContext): void {
  const token = ctx.input.idToken;
  if (token === undefined || token === '') throw new LtiError('id-token-missing', 'the launch form has no id_token');
  if (typeof token !== 'string') throw new LtiError('jwt-malformed', 'id_token must be given once, as a single value');
  if (token.length > MAX_ID_TOKEN_LENGTH) {
    throw new LtiError('id-token-too-large', `the id_token has ${token.length} characters; at most ${MAX_ID_TOKEN_LENGTH} are accepted`);
  }
  const parts = token.split('.');
  if (parts.length !== 3) throw new LtiError('jwt-malformed', `the id_token has ${parts.length} part(s); a signed JWT has 3`);
  const [header, payload, signature] = parts as [string, string, string];
  // The signature part may be empty here (an unsecured `alg: none` JWT): check 3 names that failure.
  if (![header, payload].every((p) => /^[A-Za-z0-9_-]+$/.test(p)) || !/^[A-Za-z0-9_-]*$/.test(signature)) {
    throw new LtiError('jwt-malformed', 'a part of the id_token is empty or not base64url');
  }
  ctx.token = { compact: token, header: decodeObject(header, 'header'), claims: decodeObject(payload, 'payload') };
}

function decodeObject(part: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new LtiError('jwt-malformed', `the id_token ${what} is not JSON`);
  }
  if (!isObject(parsed)) throw new LtiError('jwt-malformed', `the id_token ${what} is not a JSON object`);
  return parsed;
}
