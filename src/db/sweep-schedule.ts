/**
 * When a request should also delete a batch of expired rows (LTI login states, used nonces and
 * launches; OAuth 1.0a nonces). Sweeping on every request put an extra statement on hot paths;
 * sweeping on the first request, then every `every`-th one or once `maxIntervalMs` has passed,
 * whichever comes first, keeps the tables bounded (a batch deletes up to 200 rows, far more than the
 * `every` rows that can expire in between) at a sixteenth of the cost. Per process and per table;
 * several processes each sweep.
 */
export class SweepSchedule {
  private calls = 0;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly every = 16,
    private readonly maxIntervalMs = 10_000,
  ) {}

  due(nowMs: number): boolean {
    const nth = this.calls++ % this.every === 0;
    if (!nth && nowMs - this.last < this.maxIntervalMs) return false;
    this.last = nowMs;
    return true;
  }
}
