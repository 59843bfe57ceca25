import type { ListQuery, LtiDeploymentCreate, LtiPlatformCreate, LtiPlatformUpdate, LtiTenantQuery, TenantScopeQuery } from '../../generated/api-types.js';
import { addDeployment, listDeployments, removeDeployment } from '../../lti/registrations/deployments.js';
import { createPlatform, getPlatform, listPlatforms, platformOwner, removePlatform, updatePlatform } from '../../lti/registrations/platforms.js';
import { LTI_ADMINS, ltiObjectTenant, ltiTenant } from './lti-tenant.js';
import type { ApiDeps, ApiRequest, ApiRoute } from './route.js';

const problem = 'urn:edhub:schema:api:problem';
const notFound = { description: 'No such platform registration (or not one this credential can reach)', schema: problem };
const platformTenant = (deps: ApiDeps, req: Pick<ApiRequest, 'principal' | 'params'>) =>
  ltiObjectTenant(deps, req.principal, req.params.platformId, (id) => platformOwner(deps.db, id), 'LTI platform');

/** LTI 1.3 platform registrations of a tenant and their deployments (issue 5 item 1). */
export const ltiPlatformRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/lti/platforms',
    operationId: 'listLtiPlatforms',
    summary: "List a tenant's LTI platform registrations, oldest first",
    tag: 'lti',
    scopes: LTI_ADMINS,
    query: 'urn:edhub:schema:api:tenant-scope-query',
    responses: { 200: { description: 'A page of registrations', schema: 'urn:edhub:schema:api:lti-platform-list' } },
    async handle(deps, req: ApiRequest<TenantScopeQuery>) {
      const tenantId = await ltiTenant(deps, req.principal, req.query.tenantId);
      return { status: 200, body: await listPlatforms(deps.db, tenantId, { limit: req.query.limit ?? 50, cursor: req.query.cursor }) };
    },
  },
  {
    method: 'post',
    path: '/api/v1/lti/platforms',
    operationId: 'createLtiPlatform',
    summary: 'Register an LTI 1.3 platform (issuer + client_id) with its endpoints and first deployments',
    tag: 'lti',
    scopes: LTI_ADMINS,
    query: 'urn:edhub:schema:api:lti-tenant-query',
    body: 'urn:edhub:schema:api:lti-platform-create',
    responses: {
      201: { description: 'The registration', schema: 'urn:edhub:schema:api:lti-platform' },
      409: { description: 'This issuer and client_id are already registered in the installation', schema: problem },
    },
    async handle(deps, req: ApiRequest<LtiTenantQuery, LtiPlatformCreate>) {
      const tenantId = await ltiTenant(deps, req.principal, req.query.tenantId);
      const platform = await createPlatform(deps.db, req.ctx, tenantId, req.body);
      return { status: 201, body: platform, headers: { Location: `/api/v1/lti/platforms/${platform.id}` } };
    },
  },
  {
    method: 'get',
    path: '/api/v1/lti/platforms/{platformId}',
    operationId: 'getLtiPlatform',
    summary: 'Read one platform registration',
    tag: 'lti',
    scopes: LTI_ADMINS,
    responses: { 200: { description: 'The registration', schema: 'urn:edhub:schema:api:lti-platform' }, 404: notFound },
    async handle(deps, req) {
      const tenantId = await platformTenant(deps, req);
      return { status: 200, body: await getPlatform(deps.db, tenantId, req.params.platformId ?? '') };
    },
  },
  {
    method: 'patch',
    path: '/api/v1/lti/platforms/{platformId}',
    operationId: 'updateLtiPlatform',
    summary: "Change a registration's endpoints, name or deployment policy (issuer and client_id are its identity)",
    tag: 'lti',
    scopes: LTI_ADMINS,
    body: 'urn:edhub:schema:api:lti-platform-update',
    responses: { 200: { description: 'The registration', schema: 'urn:edhub:schema:api:lti-platform' }, 404: notFound },
    async handle(deps, req: ApiRequest<unknown, LtiPlatformUpdate>) {
      const tenantId = await platformTenant(deps, req);
      return { status: 200, body: await updatePlatform(deps.db, req.ctx, tenantId, req.params.platformId ?? '', req.body) };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/lti/platforms/{platformId}',
    operationId: 'removeLtiPlatform',
    summary: 'Remove a registration with its deployments and sessions (users and their identities stay)',
    tag: 'lti',
    scopes: LTI_ADMINS,
    responses: { 200: { description: 'The removed registration', schema: 'urn:edhub:schema:api:lti-platform' }, 404: notFound },
    async handle(deps, req) {
      const tenantId = await platformTenant(deps, req);
      return { status: 200, body: await removePlatform(deps.db, req.ctx, tenantId, req.params.platformId ?? '') };
    },
  },
  {
    method: 'get',
    path: '/api/v1/lti/platforms/{platformId}/deployments',
    operationId: 'listLtiDeployments',
    summary: "List a registration's deployments",
    tag: 'lti',
    scopes: LTI_ADMINS,
    query: 'urn:edhub:schema:api:list-query',
    responses: { 200: { description: 'A page of deployments', schema: 'urn:edhub:schema:api:lti-deployment-list' }, 404: notFound },
    async handle(deps, req: ApiRequest<ListQuery>) {
      const tenantId = await platformTenant(deps, req);
      return {
        status: 200,
        body: await listDeployments(deps.db, tenantId, req.params.platformId ?? '', { limit: req.query.limit ?? 50, cursor: req.query.cursor }),
      };
    },
  },
  {
    method: 'post',
    path: '/api/v1/lti/platforms/{platformId}/deployments',
    operationId: 'addLtiDeployment',
    summary: 'Register a deployment id of the platform',
    tag: 'lti',
    scopes: LTI_ADMINS,
    body: 'urn:edhub:schema:api:lti-deployment-create',
    responses: {
      201: { description: 'The deployment', schema: 'urn:edhub:schema:api:lti-deployment' },
      404: notFound,
      409: { description: 'The deployment is already registered', schema: problem },
    },
    async handle(deps, req: ApiRequest<unknown, LtiDeploymentCreate>) {
      const tenantId = await platformTenant(deps, req);
      return { status: 201, body: await addDeployment(deps.db, req.ctx, tenantId, req.params.platformId ?? '', req.body.deploymentId) };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/lti/platforms/{platformId}/deployments/{deploymentId}',
    operationId: 'removeLtiDeployment',
    summary: 'Remove a deployment: launches from it are refused again (unless auto-registered anew)',
    tag: 'lti',
    scopes: LTI_ADMINS,
    responses: { 200: { description: 'The removed deployment', schema: 'urn:edhub:schema:api:lti-deployment' }, 404: notFound },
    async handle(deps, req) {
      const tenantId = await platformTenant(deps, req);
      return { status: 200, body: await removeDeployment(deps.db, req.ctx, tenantId, req.params.platformId ?? '', req.params.deploymentId ?? '') };
    },
  },
];
