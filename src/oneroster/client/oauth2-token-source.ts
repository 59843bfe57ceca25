import { OneRosterClientError, snippet, tryJson } from './errors.js';
import type { Authoriser, Send } from './transport.js';

/**
 * OAuth 2 client credentials (RFC 6749 §4.4), as OneRoster 1.2 requires and SDS and Google use it
 * (fact sheet §6.1, §9.1–9.2): POST `grant_type=client_credentials[&scope=…]`, client authenticated
 * with HTTP Basic.
 *
 * - The token is cached until 30 s before `expires_in` runs out (or half its lifetime, when that is
 *   shorter than 60 s), measured from when it was asked for.
 * - Single flight: callers arriving while a token request is under way wait for that one.
 * - A 401 from a resource drops the token it was sent with, so the next caller fetches a new one.
 */
export interface OAuth2Settings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface TokenSource {
  token(): Promise<string>;
  /** Forget `token` if it is still the cached one (a newer token is kept). */
  invalidate(token: string): void;
}

const EXPIRY_MARGIN_MS = 30_000;

export function createOAuth2TokenSource(settings: OAuth2Settings, send: Send, now: () => Date): TokenSource {
  let cached: { value: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const askedAt = now().getTime();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (settings.scope) form.set('scope', settings.scope);
    const url = new URL(settings.tokenUrl);
    const res = await send({
      method: 'POST',
      url,
      headers: { authorization: basicCredentials(settings.clientId, settings.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      idempotent: true,
    });
    const body = tryJson(res.bytes);
    if (res.status < 200 || res.status > 299) throw tokenError(url.href, res.status, body, res.bytes);
    const token = readTokenResponse(body);
    if (typeof token === 'string') throw tokenError(url.href, res.status, body, res.bytes, token);
    const lifetimeMs = token.expiresIn === undefined ? Number.POSITIVE_INFINITY : token.expiresIn * 1000;
    cached = { value: token.accessToken, refreshAt: askedAt + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return token.accessToken;
  }

  return {
    async token() {
      if (cached && now().getTime() < cached.refreshAt) return cached.value;
      pending ??= requestToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
    },
  };
}

/** A resource request's Authorization: the bearer token (RFC 6750 §2.1), refreshed once after a 401. */
export function bearerAuthoriser(tokens: TokenSource): Authoriser {
  return {
    authorise: async () => `Bearer ${await tokens.token()}`,
    refreshAfter401(usedHeader) {
      tokens.invalidate(usedHeader.slice('Bearer '.length));
      return true;
    },
  };
}

/** RFC 6749 §2.3.1: client id and secret are each form-urlencoded (Appendix B) before Basic's base64. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const formEncode = (s: string) => new URLSearchParams([['', s]]).toString().slice(1);
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

/** RFC 6749 §5.1; returns a complaint instead when the body is not a usable bearer token. */
function readTokenResponse(body: unknown): { accessToken: string; expiresIn?: number } | string {
  if (typeof body !== 'object' || body === null) return 'the token response is not a JSON object';
  const { access_token, token_type, expires_in } = body as Record<string, unknown>;
  if (typeof access_token !== 'string' || access_token === '') return 'the token response has no access_token';
  // §5.1 makes token_type required; some providers leave it out, so only a wrong one is refused.
  if (token_type !== undefined && String(token_type).toLowerCase() !== 'bearer') return `token_type is ${String(token_type)}, not Bearer (RFC 6750)`;
  // Some providers send expires_in as a string; without it the token is used until a 401.
  const seconds = typeof expires_in === 'string' && /^\d+$/.test(expires_in) ? Number(expires_in) : expires_in;
  if (seconds === undefined) return { accessToken: access_token };
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return `expires_in is not a positive number: ${String(expires_in)}`;
  return { accessToken: access_token, expiresIn: seconds };
}

/** RFC 6749 §5.2: `error` and `error_description` when the endpoint sent them, else the body's start. */
function tokenError(url: string, status: number, body: unknown, bytes: Uint8Array, problem?: string): OneRosterClientError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const oauthError = typeof fields.error === 'string' ? fields.error : undefined;
  const description =
    problem ?? (typeof fields.error_description === 'string' ? fields.error_description : undefined) ?? (oauthError ? undefined : snippet(bytes));
  const summary = [oauthError, description].filter((s) => s).join(': ') || 'empty body';
  return new OneRosterClientError(
    {
      code: 'token_error',
      status,
      url,
      method: 'POST',
      ...(oauthError !== undefined ? { oauthError } : {}),
      ...(description ? { description } : {}),
    },
    `token request to ${url} failed (${status}): ${summary}`,
  );
}
