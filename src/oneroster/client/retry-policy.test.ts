import assert from 'node:assert/strict';
import { BACKOFF_CAP_MS, backoffMs, isIdempotent, isRetryableNetworkError, isRetryableStatus, RETRY_AFTER_CAP_MS, retryAfterMs } from './retry-policy.js';

describe('OneRoster client: retry policy', () => {
  const now = new Date('2026-01-05T10:00:00Z');

  it('RFC 9110 §10.2.3: reads Retry-After as delta-seconds', () => {
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
  });

  it('RFC 9110 §10.2.3: reads Retry-After as an HTTP-date, relative to the injected clock', () => {
    assert.equal(retryAfterMs('Mon, 05 Jan 2026 10:00:42 GMT', now), 42_000);
    assert.equal(retryAfterMs('Mon, 05 Jan 2026 09:59:00 GMT', now), 0, 'a date in the past means now');
  });

  it('caps Retry-After at five minutes and ignores what it cannot read', () => {
    assert.equal(retryAfterMs('86400', now), RETRY_AFTER_CAP_MS);
    assert.equal(RETRY_AFTER_CAP_MS, 300_000);
    assert.equal(retryAfterMs(null, now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-5', now), undefined);
    assert.equal(retryAfterMs('1.5', now), undefined);
  });

  it('backs off exponentially from 500 ms with full jitter, capped at 30 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((r) => backoffMs(r, () => 0.999999)),
      [499, 999, 1999, 3999, 7999, 15999, 29999, 29999],
    );
    assert.deepEqual(
      [0, 1, 2].map((r) => backoffMs(r, () => 0.5)),
      [250, 500, 1000],
    );
    assert.equal(
      backoffMs(3, () => 0),
      0,
    );
    assert.equal(BACKOFF_CAP_MS, 30_000);
  });

  it('retries 429, 502, 503 and 504 and no other status; a non-idempotent POST only on 429, never after a network error', () => {
    const statuses = [400, 401, 403, 404, 409, 422, 429, 500, 501, 502, 503, 504];
    assert.deepEqual((['GET', 'PUT', 'DELETE', 'POST'] as const).map(isIdempotent), [true, true, true, false]);
    assert.deepEqual(
      statuses.filter((s) => isRetryableStatus(s, true)),
      [429, 502, 503, 504],
    );
    assert.deepEqual(
      statuses.filter((s) => isRetryableStatus(s, false)),
      [429],
    );
    assert.equal(isRetryableNetworkError(true), true);
    assert.equal(isRetryableNetworkError(false), false);
  });
});
