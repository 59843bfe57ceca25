import { errors, jwtVerify } from 'jose';
import type { ToolRegistration } from '../state/tool-registry.js';
import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/**
 * SEC §4.1.1 / RFC 7523 §3: RS256 only, signed by a key of the tool's JWKS; iss = sub = client_id;
 * aud = this token endpoint; exp in the future, iat not in the future, lifetime at most the configured
 * maximum; a jti present. Every failure is invalid_client (RFC 7523 §3.2).
 */
export const verifyClientAssertion: TokenCheck = async (ctx, state) => {
  const tool = state.tool as ToolRegistration;
  const tolerance = ctx.options.clockToleranceSeconds;
  try {
    const { payload } = await jwtVerify(state.request.form.client_assertion as string, ctx.toolKeys.for(tool), {
      algorithms: ['RS256'],
      issuer: tool.clientId,
      subject: tool.clientId,
      audience: ctx.endpoints.token,
      requiredClaims: ['exp', 'iat', 'jti'],
      clockTolerance: tolerance,
      currentDate: new Date(ctx.now()),
    });
    if ((payload.iat as number) > ctx.now() / 1000 + tolerance) throw new OAuthError('invalid_client', 'client assertion iat is in the future', 'assertion');
    if ((payload.exp as number) - (payload.iat as number) > ctx.options.maxClientAssertionLifetimeSeconds) {
      throw new OAuthError('invalid_client', `client assertion lives longer than ${ctx.options.maxClientAssertionLifetimeSeconds} s`, 'assertion');
    }
    state.assertion = payload;
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw new OAuthError('invalid_client', `client assertion rejected: ${describe(err)}`, 'assertion');
  }
};

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `${err.claim} ${err.reason === 'check_failed' ? 'is wrong' : err.reason.replace('_', ' ')}`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key in the tool JWKS matches its kid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'alg must be RS256';
  if (err instanceof errors.JOSEError) return err.code;
  return 'the tool key set could not be read';
}
