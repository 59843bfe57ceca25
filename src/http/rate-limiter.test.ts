import assert from 'node:assert/strict';
import { InFlightCap, TokenBuckets } from './rate-limiter.js';

describe('TokenBuckets', () => {
  it('allows the burst at once, then the steady rate, with Retry-After rounded up to whole seconds', () => {
    const b = new TokenBuckets(2, 3);
    assert.deepEqual(
      [0, 0, 0].map(() => b.take('c', 0).ok),
      [true, true, true],
    );
    assert.deepEqual(b.take('c', 0), { ok: false, retryAfterSeconds: 1 });
    assert.equal(b.take('c', 499).ok, false); // 0.998 tokens
    assert.equal(b.take('c', 500).ok, true); // one token after half a second at 2/s
    assert.equal(b.take('c', 500).ok, false);
    assert.equal(b.take('c', 10_000).ok, true); // refilled, never above the burst
    assert.equal(b.take('c', 10_000).ok, true);
    assert.equal(b.take('c', 10_000).ok, true);
    assert.equal(b.take('c', 10_000).ok, false);
  });

  it('keeps each key to itself, and a slow rate asks for a longer wait', () => {
    const b = new TokenBuckets(0.1, 1);
    assert.equal(b.take('a', 0).ok, true);
    assert.deepEqual(b.take('a', 0), { ok: false, retryAfterSeconds: 10 });
    assert.equal(b.take('b', 0).ok, true);
  });

  it('is off at rate 0, and forgets the least recently used keys beyond its size (they start full again)', () => {
    const off = new TokenBuckets(0, 1);
    assert.equal(Array.from({ length: 1000 }, () => off.take('x', 0).ok).every(Boolean), true);
    const b = new TokenBuckets(1, 1, 2);
    b.take('a', 0);
    b.take('b', 0);
    b.take('a', 0); // a used again: b is now the oldest
    b.take('c', 0); // evicts b
    assert.equal(b.take('a', 0).ok, false); // still remembered as empty
    assert.equal(b.take('b', 0).ok, true); // forgotten: starts full
  });
});

describe('InFlightCap', () => {
  it('refuses beyond the cap until a request leaves; 0 means no cap', () => {
    const cap = new InFlightCap(2);
    assert.deepEqual([cap.enter(), cap.enter(), cap.enter()], [true, true, false]);
    cap.leave();
    assert.equal(cap.enter(), true);
    assert.equal(cap.inFlight, 2);
    const open = new InFlightCap(0);
    assert.equal(Array.from({ length: 100 }, () => open.enter()).every(Boolean), true);
  });
});
