import { invalidField, notFound } from '../../problems.js';
import type { TenantId } from '../../tenancy/ids.js';
import { isPlatformAdmin, type Principal } from '../../tenancy/principal.js';
import { PLATFORM_ADMIN, TENANT_ADMIN } from '../../tenancy/scopes.js';
import { type ApiDeps, reachTenant } from './route.js';

export const LTI_ADMINS = [PLATFORM_ADMIN, TENANT_ADMIN];

/** A tenant credential acts on its own tenant; a platform administrator must name one (?tenantId=), as for OneRoster. */
export async function ltiTenant(deps: ApiDeps, principal: Principal, named: string | undefined): Promise<TenantId> {
  if (isPlatformAdmin(principal) && named === undefined) throw invalidField('query', '/tenantId', 'is required for a platform credential');
  return reachTenant(deps, principal, named ?? principal.tenantId ?? undefined, LTI_ADMINS);
}

/**
 * The tenant an object id belongs to: a platform administrator reaches any object by id; a tenant
 * credential only its own tenant's — another tenant's object answers exactly like a missing one.
 */
export async function ltiObjectTenant(
  deps: ApiDeps,
  principal: Principal,
  id: string | undefined,
  ownerOf: (id: string) => Promise<TenantId | undefined>,
  what: string,
): Promise<TenantId> {
  if (!isPlatformAdmin(principal)) return ltiTenant(deps, principal, undefined);
  const owner = await ownerOf(id ?? '');
  if (!owner) throw notFound(`${what} ${id}`);
  return owner;
}
