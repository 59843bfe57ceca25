import type { OutboundFailure } from '../outbound/outbound-http.js';
import type { ValidationProblem } from './json-pointer.js';

/**
 * The error family of the Advantage service clients: one stable code per way a call can fail, to
 * switch on (the message is for people and the log). What the platform said (its RFC 6749 / RFC 6750
 * `error` and `error_description`, or the start of a body) is kept in fields, capped; it is the
 * platform's text, so it goes to logs and admin views, never to a learner's page.
 */
export const SERVICE_ERRORS = {
  'token-refused': 'the token endpoint refused the request (RFC 6749 §5.2: platformError names the code)',
  'token-response-invalid': 'the token endpoint answered 2xx without a usable bearer token (RFC 6749 §5.1)',
  unauthorized: 'the service answered 401 again after one fresh token',
  forbidden: 'the service answered 403 (RFC 6750 insufficient_scope, or not allowed)',
  'not-found': 'the service answered 404',
  conflict: 'the service answered 409 (AGS: a score older than the one applied)',
  rejected: 'the service refused the request with another 4xx',
  'platform-error': 'the service answered 5xx',
  'unexpected-status': 'the service answered 1xx or 3xx',
  'response-invalid': 'a 2xx whose body is not the JSON the service defines',
  'link-refused': 'a paging link that is malformed, leaves the service origin, or loops',
  'paging-limit': 'the service has more pages than the client follows',
  transport: 'no usable response: network, timeout, address policy or size limit (see transport)',
  'score-invalid': 'the score breaks AGS §3.4 (checked before anything is sent)',
  'line-item-invalid': 'the line item breaks AGS §3.2 (checked before anything is sent)',
  'url-invalid': 'a service URL that is not an absolute http(s) URL',
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

export interface ServiceErrorDetails {
  method?: string;
  /** The URL called, with query values redacted (service-call-log.ts). */
  url?: string;
  status?: number;
  /** RFC 6749 §5.2 / RFC 6750 §3.1 `error` from the platform's body. */
  platformError?: string;
  /** Its `error_description`, or the start of a body that was not the JSON expected (capped). */
  platformDescription?: string;
  /** For `transport`: what the outbound client reported. */
  transport?: OutboundFailure;
  /** The Retry-After header of the answer, verbatim, when there was one. */
  retryAfter?: string;
  /** For validation failures: each problem with its JSON pointer (RFC 6901). */
  problems?: ValidationProblem[];
}

export class LtiServiceError extends Error {
  override readonly name = 'LtiServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: ServiceErrorDetails = {},
  ) {
    super(message);
  }
}

const MAX_PLATFORM_TEXT = 300;

/** Platform text, capped (it is kept in the database and logs). */
export function capText(text: string, max = MAX_PLATFORM_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `error` and `error_description` from a JSON error body (RFC 6749 §5.2, RFC 6750 §3), else the body's start. */
export function platformErrorOf(body: string): { platformError?: string; platformDescription?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const text = body.trim();
    return text ? { platformDescription: capText(text) } : {};
  }
  if (typeof parsed !== 'object' || parsed === null) return { platformDescription: capText(body.trim()) };
  const { error, error_description: description } = parsed as Record<string, unknown>;
  return {
    ...(typeof error === 'string' ? { platformError: capText(error, 100) } : {}),
    ...(typeof description === 'string' ? { platformDescription: capText(description) } : {}),
  };
}

/** An OutboundError (or anything thrown while calling) as a `transport` service error. */
export function transportError(err: unknown, method: string, url: string): LtiServiceError {
  const reason = (err as { reason?: OutboundFailure }).reason;
  const message = err instanceof Error ? err.message : String(err);
  return new LtiServiceError('transport', `${method} ${url}: ${message}`, { method, url, ...(reason ? { transport: reason } : {}) });
}
