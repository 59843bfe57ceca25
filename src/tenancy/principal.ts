import { Problem } from '../problems.js';
import type { AuditActor } from '../security/audit-log.js';
import type { TenantId } from './ids.js';
import { PLATFORM_ADMIN } from './scopes.js';

/** The authenticated caller: one credential, its tenant (null for a platform credential), its scopes. */
export interface Principal {
  readonly credential: { type: 'api_key' | 'oauth_client'; id: string };
  readonly tenantId: TenantId | null;
  readonly scopes: ReadonlySet<string>;
}

export function actorOf(p: Principal): AuditActor {
  return { type: p.credential.type, id: p.credential.id };
}

export function isPlatformAdmin(p: Principal): boolean {
  return p.tenantId === null && p.scopes.has(PLATFORM_ADMIN);
}

/**
 * Tenant isolation in one place. A platform administrator reaches every tenant; a tenant credential
 * reaches only its own, and another tenant's id answers exactly as an id that does not exist (404),
 * so a credential cannot even learn that the other tenant is there. Within reach, the credential
 * needs one of `scopes` (a platform administrator holds them all).
 */
export function authorizeTenant(p: Principal, tenantId: TenantId, scopes: readonly string[]): void {
  if (isPlatformAdmin(p)) return;
  if (p.tenantId !== tenantId) throw new Problem('not-found', `tenant ${tenantId} does not exist`);
  requireAnyScope(p, scopes);
}

export function requireAnyScope(p: Principal, scopes: readonly string[]): void {
  if (scopes.some((s) => p.scopes.has(s))) return;
  throw new Problem('insufficient-scope', `this operation needs one of the scopes: ${scopes.join(', ')}`, undefined, {
    'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`,
  });
}
