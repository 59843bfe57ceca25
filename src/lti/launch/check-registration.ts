import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Check 5 — registration (fact sheet §3 #5): the token's iss and aud must name the very registration
 * the login was made for — exact issuer, and the registration's client_id among the audiences.
 */
export function checkRegistration(ctx: LaunchContext): void {
  const registration = need(ctx.registration, 'the registration');
  const claims = need(ctx.token, 'the decoded id_token').claims;
  if (claims.iss !== registration.issuer) {
    throw new LtiError('iss-mismatch', `iss ${JSON.stringify(claims.iss)?.slice(0, 200)} is not the login's issuer ${registration.issuer}`);
  }
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(registration.clientId)) {
    throw new LtiError('aud-mismatch', `aud ${JSON.stringify(aud)?.slice(0, 200)} does not contain the client_id ${registration.clientId}`);
  }
}
