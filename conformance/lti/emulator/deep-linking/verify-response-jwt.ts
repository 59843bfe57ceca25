import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context.js';
import type { ToolRegistration } from '../state/tool-registry.js';
import { DeepLinkingError } from './deep-linking-result.js';

/**
 * DL §4.5 / SEC §5.2: the response JWT is RS256-signed by the tool (kid in the header, key from its
 * JWKS), iss = the tool's client_id, aud = the platform issuer, iat/exp valid, a nonce present and
 * never seen before.
 */
export async function verifyResponseJwt(ctx: EmulatorContext, tool: ToolRegistration, jwt: string): Promise<JWTPayload> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    throw new DeepLinkingError('jwt', 'the JWT field is not a JWT');
  }
  if (!kid) throw new DeepLinkingError('jwt', 'the response JWT header has no kid');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, ctx.toolKeys.for(tool), {
      algorithms: ['RS256'],
      issuer: tool.clientId,
      audience: ctx.endpoints.issuer,
      requiredClaims: ['iat', 'exp', 'nonce'],
      clockTolerance: ctx.options.clockToleranceSeconds,
      currentDate: new Date(ctx.now()),
    }));
  } catch (err) {
    const reason =
      err instanceof errors.JWTClaimValidationFailed ? `${err.claim}: ${err.reason}` : err instanceof errors.JOSEError ? err.code : 'key set unavailable';
    throw new DeepLinkingError('jwt', `the response JWT failed verification (${reason})`);
  }
  if (!ctx.deepLinkingNonces.use(`${tool.clientId} ${payload.nonce}`, ((payload.exp as number) + ctx.options.clockToleranceSeconds) * 1000)) {
    throw new DeepLinkingError('jwt', 'the response nonce was already used (a replayed response)');
  }
  return payload;
}
