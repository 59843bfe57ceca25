import { randomBytes } from 'node:crypto';

/** What a service access token lets its bearer do (SEC §4.1; shared/standards/lti.md §7). */
export interface AccessGrant {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export type AccessTokenLookup = { status: 'valid'; grant: AccessGrant } | { status: 'expired' | 'unknown' };

/** Opaque bearer tokens issued by the token endpoint, kept per emulator instance. */
export class AccessTokens {
  private readonly grants = new Map<string, AccessGrant>();
  /** Token endpoint requests per client_id ('' when the request named no known client), whatever their outcome. */
  private readonly requests = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Counts one token endpoint request (tests assert how often a tool asks for tokens). */
  countRequest(clientId: string | undefined): void {
    const key = clientId ?? '';
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Token endpoint requests so far: of one client, or of all. */
  requestCount(clientId?: string): number {
    if (clientId !== undefined) return this.requests.get(clientId) ?? 0;
    let n = 0;
    for (const count of this.requests.values()) n += count;
    return n;
  }

  issue(clientId: string, scopes: string[], ttlSeconds: number): { token: string; grant: AccessGrant } {
    const token = `emu_${randomBytes(24).toString('base64url')}`;
    const grant = { clientId, scopes: [...scopes], expiresAt: this.now() + ttlSeconds * 1000 };
    this.grants.set(token, grant);
    return { token, grant };
  }

  lookup(token: string): AccessTokenLookup {
    const grant = this.grants.get(token);
    if (!grant) return { status: 'unknown' };
    if (grant.expiresAt <= this.now()) return { status: 'expired' };
    return { status: 'valid', grant };
  }

  /** Ends every token of a client now (the "expired access token" knob). */
  expireAll(clientId?: string): number {
    let n = 0;
    for (const grant of this.grants.values()) {
      if (clientId === undefined || grant.clientId === clientId) {
        grant.expiresAt = Math.min(grant.expiresAt, this.now());
        n++;
      }
    }
    return n;
  }
}
