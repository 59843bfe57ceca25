import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { bearerToken } from '../oauth/bearer-token.js';
import { createOAuth1Verifier, isOAuth1Header } from '../oauth/oauth1-verify.js';
import type { Logger } from '../observability/logger.js';
import { discoveryResponse } from '../oneroster/rest/openapi/discovery.js';
import { createOneRosterProvider, type RestRequest } from '../oneroster/rest/provider.js';
import { OneRosterError } from '../oneroster/rest/status-info.js';
import type { Vault } from '../security/vault.js';
import { createAuthenticator, describeFailure } from '../tenancy/authenticate.js';
import { InFlightCap, TokenBuckets } from './rate-limiter.js';

export interface OneRosterRouterDeps {
  db: Kysely<Database>;
  vault: Vault;
  now: () => Date;
  logger: Logger;
  bodyLimitBytes: number;
  /** The public origin for hrefs and Link URLs; else taken from the request. */
  baseUrl: string | undefined;
  maxLimit: number;
  /** Per OAuth client: a steady rate (0 = off) and a burst; per process: requests in flight (0 = no cap). */
  limits: { ratePerSecond: number; burst: number; maxInFlight: number };
}

/**
 * /ims/oneroster/…: translates HTTP to the provider's plain requests and renders every outcome —
 * including body-parser failures and unexpected errors — as OneRoster's imsx_StatusInfo (fact
 * sheet §5), never as problem+json: OneRoster clients parse only their standard's envelope.
 */
export function oneRosterRouter(deps: OneRosterRouterDeps): Router {
  const router = Router();
  const provider = createOneRosterProvider({ db: deps.db, now: deps.now, maxLimit: deps.maxLimit });
  const authenticate = createAuthenticator(deps.db);
  const verifyOAuth1 = createOAuth1Verifier(deps.db, deps.vault);
  const buckets = new TokenBuckets(deps.limits.ratePerSecond, deps.limits.burst);
  const inFlight = new InFlightCap(deps.limits.maxInFlight);
  // The discovery documents (fact sheet §2.5) are public and cheap: served before limits and credentials.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const origin = originOf(req);
    const found = discoveryResponse({ method: req.method, path: `/ims/oneroster${req.path}`, origin, ifNoneMatch: req.get('if-none-match') });
    if (!found) return next();
    res.status(found.status).set(found.headers);
    if (found.body === undefined) res.end();
    else res.send(found.body);
  });
  router.use((_req: Request, res: Response, next: NextFunction) => {
    if (!inFlight.enter()) throw busy(1, 'the server is busy with other requests; retry after the number of seconds in Retry-After');
    res.once('close', () => inFlight.leave());
    next();
  });
  router.use(express.json({ limit: deps.bodyLimitBytes, type: () => true }));
  router.use(async (req: Request, res: Response) => {
    const origin = originOf(req);
    const authorization = req.headers.authorization;
    const auth = isOAuth1Header(authorization) ? await oauth1CredentialOf(req, authorization, origin) : await credentialOf(req, authenticate, deps.now());
    if (auth.ok) {
      const admission = buckets.take(auth.principal.credential.id, deps.now().getTime());
      if (!admission.ok)
        throw busy(admission.retryAfterSeconds, 'this client has made more requests than its rate allows; retry after the number of seconds in Retry-After');
    }
    const response = await provider({
      method: req.method,
      path: `/ims/oneroster${req.path}`,
      query: req.query as Record<string, unknown>,
      body: req.body,
      origin,
      auth,
    });
    res.status(response.status).set(response.headers);
    if (response.body === undefined) res.end();
    else res.json(response.body);
  });
  /** EdHub's public base URL (hrefs, Link headers, the URL OAuth 1.0a signs), else the request's own. */
  function originOf(req: Request): string {
    return (deps.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
  }
  /** OAuth 1.0a signing is the original OneRoster 1.1 binding; 1.2 requires OAuth 2.0 bearer tokens. */
  async function oauth1CredentialOf(req: Request, authorization: string, origin: string): Promise<RestRequest['auth']> {
    if (!req.path.startsWith('/v1p1/'))
      return { ok: false, reason: 'OAuth 1.0a signatures are accepted on OneRoster 1.1 paths only; 1.2 needs an OAuth 2.0 bearer token' };
    return verifyOAuth1({ method: req.method, url: new URL(`${origin}${req.originalUrl}`), authorization, now: deps.now() });
  }
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = asOneRosterError(err);
    if (e.status >= 500) deps.logger.error({ err, url: req.path }, 'OneRoster request failed');
    res.status(e.status).set(e.headers).json(e.toStatusInfo());
  });
  return router;
}

async function credentialOf(req: Request, authenticate: ReturnType<typeof createAuthenticator>, now: Date): Promise<RestRequest['auth']> {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) return { ok: false, reason: 'send an access token as "Authorization: Bearer <token>" (from /oauth/token)' };
  if (token === null) return { ok: false, reason: 'the Authorization header must use the Bearer scheme' };
  const result = await authenticate(token, now);
  return result.ok ? { ok: true, principal: result.principal } : { ok: false, reason: describeFailure(result) };
}

/** 429 server_busy (fact sheet §5.2), which OneRoster clients retry after Retry-After. */
function busy(retryAfterSeconds: number, message: string): OneRosterError {
  return new OneRosterError('server_busy', message, 429, { 'Retry-After': String(retryAfterSeconds) });
}

function asOneRosterError(err: unknown): OneRosterError {
  if (err instanceof OneRosterError) return err;
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.too.large') return new OneRosterError('invaliddata', 'the request body is larger than this server accepts', 413);
  if (e.type === 'entity.parse.failed') return new OneRosterError('invaliddata', 'the request body is not valid JSON', 400);
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new OneRosterError('invaliddata', 'the request body could not be read', e.status);
  return new OneRosterError('internal_server_error', 'the server failed to answer this request; it has been logged');
}
