import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TokenResponse } from '../generated/api-types.js';
import { issueAccessToken } from '../tenancy/access-tokens.js';
import { parseScopeString } from '../tenancy/scopes.js';
import { type AuthenticatedClient, authenticateClient } from './client-authentication.js';
import { OAuthError } from './errors.js';

export interface TokenRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  /** The parsed form; a parameter sent twice arrives as an array. */
  form: Record<string, unknown>;
}

export interface TokenEndpointDeps {
  db: Kysely<Database>;
  tokenTtlSeconds: number;
  now: () => Date;
}

/** Form parameters this endpoint reads; anything else is ignored, as RFC 6749 §3.2 requires. */
const PARAMETERS = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;

/**
 * POST /oauth/token — RFC 6749 §4.4 client credentials grant. The steps, in order:
 *   1. the body is application/x-www-form-urlencoded (§4.4.2)
 *   2. no parameter appears twice (§3.2)
 *   3. the client authenticates: client_secret_basic or client_secret_post (§2.3.1, §3.2.1)
 *   4. grant_type is client_credentials (§4.4.2, §5.2 unsupported_grant_type)
 *   5. requested scopes are a subset of the client's; none requested means all of them (§3.3)
 *   6. an opaque bearer token is issued (§4.4.3, §5.1)
 */
export async function tokenEndpoint(deps: TokenEndpointDeps, req: TokenRequest): Promise<TokenResponse> {
  requireFormEncoding(req.contentType);
  const form = singleValuedParameters(req.form);
  const client = await authenticateClient(deps.db, req.authorization, form);
  requireClientCredentialsGrant(form.grant_type);
  const scopes = grantedScopes(client, form.scope);
  const issued = await issueAccessToken(deps.db, {
    clientId: client.clientId,
    tenantId: client.tenantId,
    scopes,
    ttlSeconds: deps.tokenTtlSeconds,
    now: deps.now(),
  });
  return { access_token: issued.token, token_type: 'Bearer', expires_in: deps.tokenTtlSeconds, scope: scopes.join(' ') };
}

function requireFormEncoding(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', `the token request must be application/x-www-form-urlencoded, not ${type ?? 'an empty body'}`);
  }
}

function singleValuedParameters(raw: Record<string, unknown>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const name of PARAMETERS) {
    const v = raw[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new OAuthError('invalid_request', `the parameter ${name} appears more than once`);
    form[name] = v;
  }
  return form;
}

function requireClientCredentialsGrant(grantType: string | undefined): void {
  if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') {
    throw new OAuthError(
      'unsupported_grant_type',
      `grant_type ${JSON.stringify(grantType.slice(0, 100))} is not supported; this server issues tokens for client_credentials`,
    );
  }
}

function grantedScopes(client: AuthenticatedClient, requested: string | undefined): string[] {
  if (requested === undefined || requested.trim() === '') return client.scopes;
  if (!/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(requested)) {
    throw new OAuthError('invalid_scope', 'scope must be space-separated scope tokens (RFC 6749 §3.3)');
  }
  const scopes = parseScopeString(requested);
  const missing = scopes.filter((s) => !client.scopes.includes(s));
  if (missing.length > 0) throw new OAuthError('invalid_scope', `the client is not allowed the scope(s): ${missing.join(' ')}`);
  return scopes;
}
