import type { OutboundHttp, OutboundResponse } from '../outbound/outbound-http.js';
import type { Registration } from '../registrations/registration.js';
import type { ServiceTokens } from './access-tokens.js';
import { type CallOutcome, redactUrl, type ServiceCallRecorder, type ServiceName } from './service-call-log.js';
import { LtiServiceError, platformErrorOf, type ServiceErrorCode, transportError } from './service-errors.js';

/** One call to an Advantage service, as plain values. */
export interface ServiceRequest {
  service: ServiceName;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Only what this call needs (fact sheet §7.3). */
  scopes: readonly string[];
  accept?: string;
  contentType?: string;
  body?: string;
}

/** Turns a 2xx into the caller's value, or throws LtiServiceError('response-invalid'). */
export type ResponseReader<T> = (res: OutboundResponse) => T;

/** A registration's service calls: token, send, one re-token after a 401, log, typed errors. */
export interface LtiServiceClient {
  readonly registration: Registration;
  call<T>(request: ServiceRequest, read: ResponseReader<T>): Promise<T>;
}

export interface ServiceClientDeps {
  outbound: OutboundHttp;
  tokens: ServiceTokens;
  recorder: ServiceCallRecorder;
  now: () => Date;
}

/**
 * Each call, in order:
 *   1. a token for the call's scope set (cached, single flight: access-tokens.ts);
 *   2. the request through the outbound client (address policy, time and size limits);
 *   3. a 401 (RFC 6750 invalid_token, e.g. the token expired early): drop that token, get a fresh one,
 *      send once more — never more than once, so a platform that refuses every token costs two calls;
 *   4. a non-2xx: a typed error with the platform's `error`/`error_description`;
 *   5. a 2xx: `read` parses it;
 * and every exchange is recorded with its outcome (service-call-log.ts).
 */
export function createServiceClient(deps: ServiceClientDeps, registration: Registration): LtiServiceClient {
  return {
    registration,
    async call(request, read) {
      for (let retoken = false; ; retoken = true) {
        const token = await deps.tokens.get(registration, request.scopes);
        const at = deps.now();
        const started = performance.now();
        const record = (status: number | null, outcome: CallOutcome, error: string | null) =>
          deps.recorder.record({
            tenantId: registration.tenantId,
            registrationId: registration.id,
            service: request.service,
            method: request.method,
            url: request.url,
            status,
            outcome,
            durationMs: Math.round(performance.now() - started),
            error,
            at,
          });
        const headers: Record<string, string> = { Authorization: `Bearer ${token.value}` };
        if (request.accept) headers.Accept = request.accept;
        if (request.contentType) headers['Content-Type'] = request.contentType;
        let res: OutboundResponse;
        try {
          res = await deps.outbound.request({
            method: request.method,
            url: request.url,
            headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
          });
        } catch (err) {
          const failure = transportError(err, request.method, redactUrl(request.url));
          record(null, 'transport-error', failure.message);
          throw failure;
        }
        if (res.status === 401 && !retoken) {
          deps.tokens.invalidate(registration, request.scopes, token.value);
          record(401, 'retoken', null);
          continue;
        }
        if (res.status < 200 || res.status > 299) {
          const failure = statusError(request, res);
          record(res.status, 'http-error', failure.message);
          throw failure;
        }
        try {
          const value = read(res);
          record(res.status, 'ok', null);
          return value;
        } catch (err) {
          record(res.status, 'invalid-response', err instanceof Error ? err.message : String(err));
          throw err;
        }
      }
    },
  };
}

function codeFor(status: number): ServiceErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'rejected';
  if (status >= 500) return 'platform-error';
  return 'unexpected-status';
}

function statusError(request: ServiceRequest, res: OutboundResponse): LtiServiceError {
  const said = platformErrorOf(res.body);
  const url = redactUrl(request.url);
  const what = [said.platformError, said.platformDescription].filter(Boolean).join(': ');
  const retryAfter = res.headers.get('retry-after');
  return new LtiServiceError(codeFor(res.status), `${request.method} ${url} answered ${res.status}${what ? ` (${what})` : ''}`, {
    method: request.method,
    url,
    status: res.status,
    ...said,
    ...(retryAfter !== null ? { retryAfter } : {}),
  });
}
