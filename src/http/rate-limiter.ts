/**
 * Request limits for one process: a token bucket per credential (a steady rate with a burst) and a
 * cap on requests in flight. Both are in memory, so with several app processes each enforces its own
 * share — the limits exist to keep one client from starving the others and the server from queueing
 * without bound, not to meter usage exactly (which would need a shared store).
 */
export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param ratePerSecond tokens added per second (0 turns the limit off)
   * @param burst the most tokens a bucket holds: requests allowed at once after a quiet period
   * @param maxKeys buckets kept; the least recently used are dropped beyond it (a dropped key starts full)
   */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, nowMs: number): Admission {
    if (this.ratePerSecond <= 0) return { ok: true };
    const b = this.buckets.get(key);
    const refilled = b ? Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.ratePerSecond) : this.burst;
    if (b) this.buckets.delete(key); // re-inserted below: Map order is the LRU order
    if (refilled >= 1) {
      this.remember(key, { tokens: refilled - 1, at: nowMs });
      return { ok: true };
    }
    this.remember(key, { tokens: refilled, at: nowMs });
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / this.ratePerSecond)) };
  }

  private remember(key: string, bucket: Bucket): void {
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

/** Counts requests in flight; `enter` refuses beyond the cap (0 = no cap). */
export class InFlightCap {
  private active = 0;

  constructor(private readonly max: number) {}

  enter(): boolean {
    if (this.max > 0 && this.active >= this.max) return false;
    this.active++;
    return true;
  }

  leave(): void {
    this.active--;
  }

  get inFlight(): number {
    return this.active;
  }
}
