import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type FakeResponse, formPairs, unauthorised } from './fake-oneroster-http.js';

/**
 * The fake's OAuth 2 side (fact sheet §6.1): a client-credentials token endpoint that demands HTTP
 * Basic (RFC 6749 §2.3.1), and bearer tokens that expire, and that can be revoked after a number of
 * uses to play a provider rotating its tokens under a running sync.
 */
export interface OAuth2FakeOptions {
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  revokeTokenAfterRequests: number | undefined;
  now: () => Date;
}

interface IssuedToken {
  expiresAt: number;
  uses: number;
}

export interface OAuth2Fake {
  /** POST /oauth/token. */
  tokenEndpoint(method: string, authorization: string | undefined, contentType: string | undefined, body: string): FakeResponse;
  /** Throws FakeStatusError 401 unless `authorization` carries a live token. */
  verifyBearer(authorization: string | undefined): void;
}

export function createOAuth2Fake(o: OAuth2FakeOptions): OAuth2Fake {
  const tokens = new Map<string, IssuedToken>();
  const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}): FakeResponse => ({
    status,
    headers: { 'cache-control': 'no-store', ...headers },
    body: { error, error_description: description },
  });

  return {
    tokenEndpoint(method, authorization, contentType, body) {
      if (method !== 'POST') return oauthError(405, 'invalid_request', 'the token endpoint takes POST');
      const client = parseBasic(authorization);
      if (!client || !same(client.id, o.clientId) || !same(client.secret, o.clientSecret)) {
        // §5.2: invalid_client is 401 with a challenge for the scheme the client must use.
        return oauthError(401, 'invalid_client', 'client authentication failed', { 'www-authenticate': 'Basic realm="fake-oneroster"' });
      }
      if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
      }
      const form = new Map(formPairs(body));
      if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { expiresAt: o.now().getTime() + o.tokenTtlSeconds * 1000, uses: 0 });
      const scope = form.get('scope');
      return {
        status: 200,
        headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
        body: { access_token: token, token_type: 'bearer', expires_in: o.tokenTtlSeconds, ...(scope ? { scope } : {}) },
      };
    },

    verifyBearer(authorization) {
      const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization?.trim() ?? '');
      if (!m) throw unauthorised('a bearer token is required', { 'www-authenticate': 'Bearer realm="fake-oneroster"' });
      const token = m[1] as string;
      const issued = tokens.get(token);
      const invalid = (why: string) => unauthorised(why, { 'www-authenticate': `Bearer error="invalid_token", error_description="${why}"` });
      if (!issued) throw invalid('the token is unknown or revoked');
      if (o.now().getTime() >= issued.expiresAt) throw invalid('the token has expired');
      if (o.revokeTokenAfterRequests !== undefined && issued.uses >= o.revokeTokenAfterRequests) {
        tokens.delete(token);
        throw invalid('the token has been revoked');
      }
      issued.uses++;
    },
  };
}

/** `Basic base64(formencode(id) ":" formencode(secret))`, RFC 6749 §2.3.1. */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
