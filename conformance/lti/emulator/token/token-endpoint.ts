import type { EmulatorContext } from '../context.js';
import { checkAssertionType } from './check-assertion-type.js';
import { checkContentType } from './check-content-type.js';
import { checkGrantType } from './check-grant-type.js';
import { checkJti } from './check-jti.js';
import { checkScopes } from './check-scopes.js';
import { identifyClient } from './identify-client.js';
import { OAuthError } from './oauth-error.js';
import type { TokenCheck, TokenRequest, TokenState } from './token-request.js';
import { verifyClientAssertion } from './verify-client-assertion.js';

/** The client_credentials token endpoint for LTI Advantage services (SEC §4.1; shared/standards/lti.md §7). */
const CHECKS: readonly TokenCheck[] = [
  checkContentType, //        form-encoded body                          → invalid_request
  checkGrantType, //          grant_type = client_credentials            → unsupported_grant_type
  checkAssertionType, //      JWT bearer client assertion                → invalid_request / invalid_client
  identifyClient, //          sub names a registered tool                → invalid_client
  verifyClientAssertion, //   RS256 by the tool's key; iss, sub, aud, exp, iat → invalid_client
  checkJti, //                jti not used before                        → invalid_client
  checkScopes, //             scopes known and granted                   → invalid_scope
];

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export type TokenOutcome = { ok: true; body: TokenResponse } | { ok: false; error: OAuthError };

export async function tokenEndpoint(ctx: EmulatorContext, request: TokenRequest): Promise<TokenOutcome> {
  const state: TokenState = { request };
  try {
    for (const check of CHECKS) await check(ctx, state);
  } catch (err) {
    ctx.accessTokens.countRequest(state.tool?.clientId);
    if (!(err instanceof OAuthError)) throw err;
    ctx.logger.warn({ check: err.check, error: err.code, description: err.description, clientId: state.tool?.clientId }, 'lti emulator: token request refused');
    return { ok: false, error: err };
  }
  const tool = state.tool as NonNullable<TokenState['tool']>;
  ctx.accessTokens.countRequest(tool.clientId);
  const scopes = state.scopes as string[];
  const { token } = ctx.accessTokens.issue(tool.clientId, scopes, ctx.options.accessTokenTtlSeconds);
  return { ok: true, body: { access_token: token, token_type: 'Bearer', expires_in: ctx.options.accessTokenTtlSeconds, scope: scopes.join(' ') } };
}
