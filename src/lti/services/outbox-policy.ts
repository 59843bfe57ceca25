import { LtiServiceError } from './service-errors.js';

/**
 * What a failed score delivery means for its outbox row, and when to try again.
 *
 * Retried (with backoff, or after the platform's Retry-After): 5xx, 408, 429, network failures and
 * timeouts, a 401 that survived the client's one re-token, token endpoint failures of any kind (an
 * `invalid_client` while the platform's copy of our key set catches up with a rotation, an
 * `invalid_scope` until an administrator grants the scope: the score is not at fault, so it waits),
 * and an unreadable answer.
 * Terminal — kept as `failed` with the reason, never dropped, and requeue-able by an administrator:
 * 409 (`stale-score`: the platform holds a newer score for that user), any other 4xx (`rejected`:
 * the same request would be refused again), and what cannot be delivered as configured
 * (`undeliverable`: address policy, redirects, oversized answers, malformed URLs).
 */
export type TerminalFailure = 'stale-score' | 'rejected' | 'undeliverable';

export type FailureVerdict = { retry: true; retryAfter?: string } | { retry: false; failure: TerminalFailure };

export function judgeFailure(err: unknown): FailureVerdict {
  if (!(err instanceof LtiServiceError)) return { retry: true };
  const { status, retryAfter } = err.details;
  const again: FailureVerdict = retryAfter !== undefined ? { retry: true, retryAfter } : { retry: true };
  switch (err.code) {
    case 'conflict':
      return { retry: false, failure: 'stale-score' };
    case 'unauthorized':
    case 'platform-error':
    case 'token-refused':
    case 'token-response-invalid':
    case 'response-invalid':
      return again;
    case 'rejected':
      return status === 408 || status === 429 ? again : { retry: false, failure: 'rejected' };
    case 'forbidden':
    case 'not-found':
    case 'score-invalid':
    case 'line-item-invalid':
      return { retry: false, failure: 'rejected' };
    case 'transport':
      return err.details.transport === 'network' || err.details.transport === 'timeout' ? again : { retry: false, failure: 'undeliverable' };
    case 'unexpected-status':
    case 'url-invalid':
    case 'link-refused':
    case 'paging-limit':
      return { retry: false, failure: 'undeliverable' };
    default: {
      const unhandled: never = err.code;
      throw new Error(`unhandled service error code ${String(unhandled)}`);
    }
  }
}

export interface RetryPolicy {
  /** Attempts before a retryable failure becomes `attempts-exhausted`. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 30 s, 1 min, 2 min … capped at 6 h: ten attempts span about a day and a half. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 6 * 3_600_000 };

/**
 * The wait before attempt `attempts + 1`: the platform's Retry-After when it sent one (RFC 9110
 * §10.2.3; capped at maxDelayMs), else exponential backoff with "equal jitter" — half the step fixed,
 * half random — so rows that failed together do not come back together, yet never sooner than half
 * the step.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfter: string | undefined, now: Date, random: () => number): number {
  const told = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
  if (told !== undefined) return Math.min(told, policy.maxDelayMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** delta-seconds or an HTTP-date; undefined when unreadable. A date in the past means now. */
export function parseRetryAfter(value: string, now: Date): number | undefined {
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
