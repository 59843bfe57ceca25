/**
 * Values that may be presented once until they expire: client-assertion `jti`s (SEC §4.1.1),
 * Dynamic Registration tokens. Expired entries are pruned as new ones arrive.
 */
export class SingleUseLedger {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Records `value` as used until `expiresAt` (ms); false when it was already used. */
  use(value: string, expiresAt: number): boolean {
    this.prune();
    if (this.seen.has(value)) return false;
    this.seen.set(value, expiresAt);
    return true;
  }

  private prune(): void {
    const now = this.now();
    for (const [value, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(value);
  }
}
