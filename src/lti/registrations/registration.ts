import type { Selectable } from 'kysely';
import type { LtiPlatformsTable } from '../../db/schema.js';
import type { LtiPlatform } from '../../generated/api-types.js';
import type { TenantId } from '../../tenancy/ids.js';

/** A platform registration as the login and launch pipelines use it (fact sheet §1.2). */
export interface Registration {
  id: string;
  tenantId: TenantId;
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  tokenAudience: string | null;
  jwksUrl: string;
  autoRegisterDeployments: boolean;
}

export type PlatformRow = Selectable<LtiPlatformsTable>;

export function toRegistration(row: PlatformRow): Registration {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    issuer: row.issuer,
    clientId: row.client_id,
    authUrl: row.auth_url,
    tokenUrl: row.token_url,
    tokenAudience: row.token_audience,
    jwksUrl: row.jwks_url,
    autoRegisterDeployments: row.auto_register_deployments,
  };
}

export function toApiPlatform(row: PlatformRow, deploymentCount: number): LtiPlatform {
  return {
    ...toRegistration(row),
    registeredVia: row.registered_via,
    deploymentCount,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The registration a login state points at (the state row's foreign key keeps it alive). */
export async function loadRegistration(
  db: import('kysely').Kysely<import('../../db/schema.js').Database>,
  platformId: string,
): Promise<Registration | undefined> {
  const row = await db.selectFrom('lti_platforms').selectAll().where('id', '=', platformId).executeTakeFirst();
  return row && toRegistration(row);
}
