import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, judgeFailure, parseRetryAfter, retryDelayMs } from './outbox-policy.js';
import { LtiServiceError, type ServiceErrorCode, type ServiceErrorDetails } from './service-errors.js';

const error = (code: ServiceErrorCode, details: ServiceErrorDetails = {}) => new LtiServiceError(code, code, details);

describe('score outbox policy: which failures are retried, and when', () => {
  it('retries 5xx, 408, 429, network failures, timeouts, a surviving 401 and token endpoint failures', () => {
    for (const e of [
      error('platform-error', { status: 503 }),
      error('rejected', { status: 408 }),
      error('rejected', { status: 429 }),
      error('transport', { transport: 'network' }),
      error('transport', { transport: 'timeout' }),
      error('unauthorized', { status: 401 }),
      error('token-refused', { status: 400, platformError: 'invalid_scope' }),
      error('token-response-invalid'),
      new Error('a bug or a database hiccup'),
    ]) {
      assert.deepEqual(judgeFailure(e), { retry: true }, (e as Error).message);
    }
    assert.deepEqual(judgeFailure(error('platform-error', { status: 503, retryAfter: '120' })), { retry: true, retryAfter: '120' });
  });

  it('ends 409 as stale-score, other 4xx as rejected, and what cannot be delivered as configured as undeliverable', () => {
    assert.deepEqual(judgeFailure(error('conflict', { status: 409 })), { retry: false, failure: 'stale-score' });
    for (const e of [
      error('rejected', { status: 400 }),
      error('rejected', { status: 422 }),
      error('forbidden', { status: 403 }),
      error('not-found', { status: 404 }),
      error('score-invalid'),
    ]) {
      assert.deepEqual(judgeFailure(e), { retry: false, failure: 'rejected' }, e.message);
    }
    for (const e of [
      error('transport', { transport: 'denied' }),
      error('transport', { transport: 'too-large' }),
      error('transport', { transport: 'redirect' }),
      error('url-invalid'),
      error('unexpected-status', { status: 302 }),
    ]) {
      assert.deepEqual(judgeFailure(e), { retry: false, failure: 'undeliverable' }, e.message);
    }
  });

  it('backs off exponentially with equal jitter (never sooner than half the step), capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    const now = new Date('2025-01-01T00:00:00Z');
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(policy, n, undefined, now, () => 0)),
      [500, 1000, 2000, 4000, 5000, 5000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n, undefined, now, () => 0.999999)),
      [1000, 2000, 4000, 8000, 10_000],
    );
  });

  it("waits what the platform's Retry-After says (RFC 9110 §10.2.3: seconds or an HTTP-date), capped at the policy's maximum", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 60_000 };
    const now = new Date('2025-01-01T00:00:00Z');
    assert.equal(
      retryDelayMs(policy, 1, '30', now, () => 0.5),
      30_000,
    );
    assert.equal(
      retryDelayMs(policy, 1, 'Wed, 01 Jan 2025 00:00:45 GMT', now, () => 0.5),
      45_000,
    );
    assert.equal(
      retryDelayMs(policy, 1, '86400', now, () => 0.5),
      60_000,
    );
    assert.equal(
      retryDelayMs(policy, 1, 'soon', now, () => 0),
      500,
      'unreadable: backoff',
    );
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});
