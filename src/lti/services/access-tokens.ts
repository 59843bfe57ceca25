import type { OutboundHttp, OutboundResponse } from '../outbound/outbound-http.js';
import type { Registration } from '../registrations/registration.js';
import { type AssertionSigner, clientAssertion } from './client-assertion.js';
import { redactUrl, type ServiceCallRecorder } from './service-call-log.js';
import { capText, LtiServiceError, platformErrorOf, transportError } from './service-errors.js';
import { CLIENT_ASSERTION_TYPE } from './vocabulary.js';

/**
 * Service access tokens (SEC §4.1; fact sheet §7): OAuth 2 client_credentials authenticated by a JWT
 * client assertion signed with the tool's current key.
 *
 * - One token per (registration, scope set): callers name only the scopes their call needs (SchoolBox
 *   refuses unneeded ones, ltijs#148); the set is de-duplicated and sorted, so the order callers list
 *   scopes in never costs another token.
 * - Cached until `expires_in` minus a margin (REFRESH_MARGIN_SECONDS, or half the lifetime when that is
 *   shorter), measured from when the token was asked for. No `expires_in`: DEFAULT_LIFETIME_SECONDS
 *   (the Canvas and Moodle value) — a 401 ends it sooner anyway.
 * - Single flight: callers arriving while a token request for the same key is under way share it, so
 *   50 concurrent calls cost one token request. A failed request is not cached: the next caller asks
 *   again.
 * - invalidate() drops a token a service answered 401 to, unless a newer one already replaced it.
 * - The cache is in-process: several EdHub processes each hold their own token for the same key. The
 *   security framework allows a client any number of valid tokens; this costs one token request per
 *   process per token lifetime, not a shared store.
 */
export interface AccessToken {
  value: string;
  /** The scope set asked for: sorted, de-duplicated. */
  scopes: readonly string[];
  /** The `scope` the platform reported granting (RFC 6749 §5.1: absent when identical to the request). */
  grantedScope?: string;
  /** When the token stops being handed out (ms since the epoch). */
  refreshAt: number;
}

export interface ServiceTokens {
  get(registration: Registration, scopes: readonly string[]): Promise<AccessToken>;
  /** Forget `value` if it is still the cached token for this key (after a 401). */
  invalidate(registration: Registration, scopes: readonly string[], value: string): void;
  /** Forget every token of a registration (after it is edited or removed). */
  forget(registrationId: string): void;
}

export interface ServiceTokenDeps {
  outbound: OutboundHttp;
  signer: AssertionSigner;
  recorder: ServiceCallRecorder;
  now: () => Date;
  /** Default REFRESH_MARGIN_SECONDS. */
  refreshMarginSeconds?: number;
}

export const REFRESH_MARGIN_SECONDS = 60;
export const DEFAULT_LIFETIME_SECONDS = 3600;

export function scopeSet(scopes: readonly string[]): string[] {
  const set = [...new Set(scopes)].sort();
  if (set.length === 0 || set.some((s) => s === '' || /\s/.test(s)))
    throw new Error(`a service token needs one or more scope URIs, got ${JSON.stringify(scopes)}`);
  return set;
}

export function createServiceTokens(deps: ServiceTokenDeps): ServiceTokens {
  const marginMs = (deps.refreshMarginSeconds ?? REFRESH_MARGIN_SECONDS) * 1000;
  const cache = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken>>();
  // The token endpoint and audience are part of the key: an edited registration never reuses a token.
  const keyOf = (r: Registration, set: readonly string[]) => `${r.id}\n${r.clientId}\n${r.tokenUrl}\n${r.tokenAudience ?? ''}\n${set.join(' ')}`;

  async function requestToken(registration: Registration, scopes: string[]): Promise<AccessToken> {
    const askedAt = deps.now();
    const url = registration.tokenUrl;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await clientAssertion(deps.signer, registration),
      scope: scopes.join(' '),
    }).toString();
    const started = performance.now();
    const record = (status: number | null, outcome: 'ok' | 'http-error' | 'invalid-response' | 'transport-error', error: string | null) =>
      deps.recorder.record({
        tenantId: registration.tenantId,
        registrationId: registration.id,
        service: 'token',
        method: 'POST',
        url,
        status,
        outcome,
        durationMs: Math.round(performance.now() - started),
        error,
        at: askedAt,
      });
    let res: OutboundResponse;
    try {
      res = await deps.outbound.request({
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
      });
    } catch (err) {
      const failure = transportError(err, 'POST', redactUrl(url));
      record(null, 'transport-error', failure.message);
      throw failure;
    }
    const read = readTokenResponse(res, scopes, askedAt.getTime(), marginMs);
    if (read instanceof LtiServiceError) {
      record(res.status, read.code === 'token-refused' ? 'http-error' : 'invalid-response', read.message);
      throw read;
    }
    record(res.status, 'ok', null);
    return read;
  }

  return {
    async get(registration, scopes) {
      const set = scopeSet(scopes);
      const key = keyOf(registration, set);
      const cached = cache.get(key);
      if (cached && deps.now().getTime() < cached.refreshAt) return cached;
      let flight = pending.get(key);
      if (!flight) {
        flight = requestToken(registration, set)
          .then((token) => {
            cache.set(key, token);
            return token;
          })
          .finally(() => pending.delete(key));
        pending.set(key, flight);
      }
      return flight;
    },
    invalidate(registration, scopes, value) {
      const key = keyOf(registration, scopeSet(scopes));
      if (cache.get(key)?.value === value) cache.delete(key);
    },
    forget(registrationId) {
      for (const key of cache.keys()) if (key.startsWith(`${registrationId}\n`)) cache.delete(key);
    },
  };
}

/** RFC 6749 §5.1 (a bearer token, RFC 6750) or §5.2 (an error), as an AccessToken or the error to throw. */
function readTokenResponse(res: OutboundResponse, scopes: string[], askedAt: number, marginMs: number): AccessToken | LtiServiceError {
  const url = redactUrl(res.url);
  if (res.status < 200 || res.status > 299) {
    const said = platformErrorOf(res.body);
    const what = [said.platformError, said.platformDescription].filter(Boolean).join(': ') || 'no error body';
    return new LtiServiceError('token-refused', `token request to ${url} refused (${res.status} ${what})`, {
      method: 'POST',
      url,
      status: res.status,
      ...said,
    });
  }
  const invalid = (problem: string) =>
    new LtiServiceError('token-response-invalid', `token response of ${url}: ${problem}`, {
      method: 'POST',
      url,
      status: res.status,
      platformDescription: capText(res.body.trim()),
    });
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return invalid(`not JSON (Content-Type ${res.headers.get('content-type') ?? 'absent'})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('not a JSON object');
  const { access_token: value, token_type: type, expires_in: expiresIn, scope } = body as Record<string, unknown>;
  if (typeof value !== 'string' || value === '' || value.length > 4096) return invalid('no usable access_token');
  // §5.1 makes token_type required; a missing one is tolerated, a wrong one is not (LTI uses bearer tokens only).
  if (type !== undefined && String(type).toLowerCase() !== 'bearer') return invalid(`token_type is ${capText(String(type), 40)}, not Bearer`);
  // Some platforms send expires_in as a string of digits.
  const seconds = typeof expiresIn === 'string' && /^\d{1,9}$/.test(expiresIn) ? Number(expiresIn) : (expiresIn ?? DEFAULT_LIFETIME_SECONDS);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
    return invalid(`expires_in is not a positive number: ${capText(String(expiresIn), 40)}`);
  const lifetimeMs = seconds * 1000;
  return {
    value,
    scopes,
    ...(typeof scope === 'string' ? { grantedScope: scope } : {}),
    refreshAt: askedAt + lifetimeMs - Math.min(marginMs, lifetimeMs / 2),
  };
}
