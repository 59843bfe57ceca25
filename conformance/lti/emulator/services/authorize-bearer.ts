import type { EmulatorContext } from '../context.js';
import type { AccessGrant } from '../token/access-tokens.js';
import { ServiceError } from './service-error.js';

/**
 * SEC §4.1 / RFC 6750: the call carries an access token this platform issued, unexpired, holding at
 * least one of the scopes the operation accepts.
 */
export function authorizeBearer(ctx: EmulatorContext, authorization: string | undefined, anyOf: readonly string[]): AccessGrant {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new ServiceError('invalid_token', 'an access token is required (Authorization: Bearer …)', { 'WWW-Authenticate': 'Bearer' });
  const found = ctx.accessTokens.lookup(match[1] as string);
  if (found.status !== 'valid') {
    throw new ServiceError('invalid_token', `the access token is ${found.status}`, {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="the access token is ${found.status}"`,
    });
  }
  if (!anyOf.some((scope) => found.grant.scopes.includes(scope))) {
    throw new ServiceError('insufficient_scope', `this operation needs one of the scopes: ${anyOf.join(' ')}`, {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${anyOf.join(' ')}"`,
    });
  }
  return found.grant;
}
