import type { Diagnostics } from './diagnostics.js';
import { IdSet } from './id-set.js';

/**
 * §8.8: a user's `primaryOrgSourcedId` needs a matching role — a roles.csv row for that user at that
 * org. users.csv is read before roles.csv (roles reference users), so the claims wait, as compact
 * pairs and line numbers, until roles.csv has been read; the roles' (user, org) pairs go into an IdSet.
 *
 * Decided: the rule is checked only when roles.csv is in the package as a bulk file (the whole truth).
 * With a delta or absent roles.csv the matching role may already be stored, and the REST provider
 * shows whatever roles exist, so a miss there is not an error worth refusing a nightly delta for.
 */
export class PrimaryOrgRule {
  private readonly claims: string[] = [];
  private readonly lines: number[] = [];
  private readonly roles = new IdSet();

  claim(user: string, org: string, line: number): void {
    this.claims.push(pairKey(user, org));
    this.lines.push(line);
  }

  role(user: string, org: string): void {
    this.roles.add(pairKey(user, org));
  }

  /** Reports every claim without a role; call once roles.csv has been read completely. */
  finish(diagnostics: Diagnostics, rolesFile: 'bulk' | 'delta' | 'absent' | 'broken'): void {
    if (rolesFile !== 'bulk') return;
    this.claims.forEach((key, i) => {
      if (this.roles.has(key)) return;
      const [user, org] = key.split('\u0000') as [string, string];
      diagnostics.error(
        'rule.primary-org',
        'users.csv',
        `user ${JSON.stringify(user)} has primaryOrgSourcedId ${JSON.stringify(org)} but no role at that org in roles.csv`,
        this.lines[i],
        'primaryOrgSourcedId',
      );
    });
  }
}

function pairKey(user: string, org: string): string {
  return `${user}\u0000${org}`;
}
