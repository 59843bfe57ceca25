import type { HttpMethod } from './options.js';

/**
 * When and how long to wait before trying a request again.
 *
 * Retried: 429 (`server_busy`, fact sheet §5.2; ClassLink sends it in the middle of paging, §9.3),
 * 502/503/504 (gateway and overload answers) and network errors or timeouts. Nothing else: a 4xx
 * will not get better by asking again (401 is handled apart, by re-authenticating once).
 *
 * POST is the exception: it makes the provider allocate new sourcedIds (fact sheet §2.2), so repeating
 * one whose fate is unknown could create twins. It is retried only on 429, which says the request was
 * not processed. A caller may declare a POST idempotent (the OAuth 2 token request: a second token
 * does no harm), and then it is retried like any other.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

const RETRYABLE = new Set([429, 502, 503, 504]);

export function isIdempotent(method: HttpMethod): boolean {
  return method !== 'POST';
}

export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  return idempotent ? RETRYABLE.has(status) : status === 429;
}

export function isRetryableNetworkError(idempotent: boolean): boolean {
  return idempotent;
}

/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(cap, base·2^retry)), so many
 * consumers throttled at once do not come back in lockstep. `retry` counts from 0.
 */
export function backoffMs(retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry));
}

/**
 * RFC 9110 §10.2.3 Retry-After: delta-seconds or an HTTP-date. Capped at five minutes so one
 * misconfigured header cannot park a sync for a day; a date in the past means "now". Undefined when
 * the header is absent or unreadable, and the caller falls back to backoff.
 */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at) || !/[a-z]/i.test(value)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS);
}
