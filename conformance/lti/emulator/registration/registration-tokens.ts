import { randomBytes } from 'node:crypto';

/**
 * Dynamic Registration tokens (DR §3.3): the platform hands one to the tool with the initiation URL;
 * the tool presents it as a Bearer token on the registration POST. Each is good for one registration.
 */
export class RegistrationTokens {
  private readonly tokens = new Map<string, { expiresAt: number; used: boolean }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issue(): string {
    const token = `reg_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { expiresAt: this.now() + this.ttlMs, used: false });
    return token;
  }

  status(token: string): 'valid' | 'unknown' | 'expired' | 'used' {
    const entry = this.tokens.get(token);
    if (!entry) return 'unknown';
    if (entry.used) return 'used';
    return entry.expiresAt <= this.now() ? 'expired' : 'valid';
  }

  /** Spends the token once the registration it authorised has been stored (a refused request may be corrected and retried). */
  consume(token: string): void {
    const entry = this.tokens.get(token);
    if (entry) entry.used = true;
  }
}
