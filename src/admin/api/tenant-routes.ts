import type { ListQuery, TenantCreate, TenantUpdate } from '../../generated/api-types.js';
import { Problem } from '../../problems.js';
import { isPlatformAdmin, requireAnyScope } from '../../tenancy/principal.js';
import { PLATFORM_ADMIN, TENANT_ADMIN } from '../../tenancy/scopes.js';
import { createTenant, getTenant, listTenants, renameTenant } from '../../tenancy/tenants.js';
import { type ApiRequest, type ApiRoute, reachTenant } from './route.js';

const ADMINS = [PLATFORM_ADMIN, TENANT_ADMIN];
const tenantNotFound = { description: 'No such tenant (or not one this credential can reach)', schema: 'urn:edhub:schema:api:problem' };

export const tenantRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/tenants',
    operationId: 'listTenants',
    summary: 'List tenants (a tenant credential sees only its own)',
    tag: 'tenants',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:list-query',
    responses: { 200: { description: 'A page of tenants', schema: 'urn:edhub:schema:api:tenant-list' } },
    async handle(deps, req: ApiRequest<ListQuery>) {
      requireAnyScope(req.principal, ADMINS);
      const only = isPlatformAdmin(req.principal) ? undefined : (req.principal.tenantId ?? undefined);
      const page = await listTenants(deps.db, { limit: req.query.limit ?? 50, cursor: req.query.cursor, only });
      return { status: 200, body: page };
    },
  },
  {
    method: 'post',
    path: '/api/v1/tenants',
    operationId: 'createTenant',
    summary: 'Create a tenant (platform administrators)',
    tag: 'tenants',
    scopes: [PLATFORM_ADMIN],
    body: 'urn:edhub:schema:api:tenant-create',
    responses: { 201: { description: 'The new tenant', schema: 'urn:edhub:schema:api:tenant' } },
    async handle(deps, req: ApiRequest<unknown, TenantCreate>) {
      if (!isPlatformAdmin(req.principal)) {
        throw new Problem('insufficient-scope', `creating tenants needs ${PLATFORM_ADMIN} on a platform credential`);
      }
      const tenant = await createTenant(deps.db, req.ctx, req.body.name);
      return { status: 201, body: tenant, headers: { Location: `/api/v1/tenants/${tenant.id}` } };
    },
  },
  {
    method: 'get',
    path: '/api/v1/tenants/{tenantId}',
    operationId: 'getTenant',
    summary: 'Read one tenant',
    tag: 'tenants',
    scopes: ADMINS,
    responses: { 200: { description: 'The tenant', schema: 'urn:edhub:schema:api:tenant' }, 404: tenantNotFound },
    async handle(deps, req) {
      const id = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      return { status: 200, body: await getTenant(deps.db, id) };
    },
  },
  {
    method: 'patch',
    path: '/api/v1/tenants/{tenantId}',
    operationId: 'updateTenant',
    summary: 'Rename a tenant',
    tag: 'tenants',
    scopes: ADMINS,
    body: 'urn:edhub:schema:api:tenant-update',
    responses: { 200: { description: 'The updated tenant', schema: 'urn:edhub:schema:api:tenant' }, 404: tenantNotFound },
    async handle(deps, req: ApiRequest<unknown, TenantUpdate>) {
      const id = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      const body = req.body;
      const tenant = body.name === undefined ? await getTenant(deps.db, id) : await renameTenant(deps.db, req.ctx, id, body.name);
      return { status: 200, body: tenant };
    },
  },
];
