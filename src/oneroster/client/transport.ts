import { OneRosterClientError } from './errors.js';
import type { HttpMethod, ResolvedOptions } from './options.js';
import { readCappedBody } from './read-body.js';
import { backoffMs, isIdempotent, isRetryableNetworkError, isRetryableStatus, retryAfterMs } from './retry-policy.js';

/** Supplies the Authorization header of each attempt (OAuth 2 bearer or OAuth 1.0a signature). */
export interface Authoriser {
  authorise(method: HttpMethod, url: URL): Promise<string>;
  /** After a 401 answered to `usedHeader`: true when a fresh credential is worth exactly one more try. */
  refreshAfter401(usedHeader: string): boolean;
}

export interface OutgoingRequest {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  auth?: Authoriser;
  /** Default: every method but POST (retry-policy.ts). */
  idempotent?: boolean;
}

export interface ReceivedResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  retries: number;
}

export type Send = (request: OutgoingRequest) => Promise<ReceivedResponse>;

/**
 * One logical request: attempts it, and retries per retry-policy.ts; any HTTP status is returned
 * (callers decide what is an error); only a network failure that outlives its retries throws.
 *
 * Each attempt, in order:
 *   1. authorise (a cached bearer token, or a fresh OAuth 1.0a signature: its nonce must be new);
 *   2. fetch with a per-attempt timeout covering the body, redirects not followed (a redirect would
 *      carry the credentials to a URL nobody configured, and an OAuth 1.0a signature covers the URL);
 *   3. read the body under the size cap (too large: thrown at once, never retried);
 *   4. report the attempt to onRequest;
 *   5. 401 with a refreshable credential: once, at once; retryable status or network error: wait
 *      (Retry-After when the provider sent one, else backoff) and go again while retries remain.
 */
export function createTransport(o: ResolvedOptions): Send {
  return async function send(request) {
    const { method, url } = request;
    const idempotent = request.idempotent ?? isIdempotent(method);
    let retries = 0;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const headers = new Headers({ accept: 'application/json', ...request.headers });
      const authorization = request.auth ? await request.auth.authorise(method, url) : undefined;
      if (authorization !== undefined) headers.set('authorization', authorization);
      const started = performance.now();
      const report = (status: number | 'network-error') => o.onRequest({ method, url: url.href, status, attempt, ms: Math.round(performance.now() - started) });

      let response: { status: number; headers: Headers; bytes: Uint8Array } | undefined;
      let failure: unknown;
      try {
        const res = await o.fetch(url, { method, headers, body: request.body ?? null, redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs) });
        try {
          response = { status: res.status, headers: res.headers, bytes: await readCappedBody(res, o.maxResponseBytes, method, url.href) };
        } catch (error) {
          if (error instanceof OneRosterClientError) report(res.status);
          throw error;
        }
      } catch (error) {
        if (error instanceof OneRosterClientError) throw error;
        failure = error;
      }

      if (response === undefined) {
        report('network-error');
        if (isRetryableNetworkError(idempotent) && retries < o.maxRetries) {
          await o.sleep(backoffMs(retries++, o.random));
          continue;
        }
        throw networkError(method, url.href, failure, retries, o.timeoutMs);
      }
      report(response.status);
      if (response.status === 401 && authorization !== undefined && !refreshed && request.auth?.refreshAfter401(authorization)) {
        refreshed = true;
        continue;
      }
      if (isRetryableStatus(response.status, idempotent) && retries < o.maxRetries) {
        await o.sleep(retryAfterMs(response.headers.get('retry-after'), o.now()) ?? backoffMs(retries, o.random));
        retries++;
        continue;
      }
      return { ...response, retries };
    }
  };
}

function networkError(method: string, url: string, cause: unknown, retries: number, timeoutMs: number): OneRosterClientError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  const reason = timedOut ? `no complete response within ${timeoutMs} ms` : describe(cause);
  const after = retries > 0 ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
  return new OneRosterClientError(
    { code: 'network_error', status: 'network-error', url, method, description: reason, cause },
    `${method} ${url} failed${after}: ${reason}`,
  );
}

/** undici hides the useful part (ECONNREFUSED, …) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
