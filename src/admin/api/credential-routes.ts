import type { ApiKeyCreate, ListQuery, OAuthClientCreate } from '../../generated/api-types.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../tenancy/api-keys.js';
import { createOAuthClient, listOAuthClients, revokeOAuthClient } from '../../tenancy/oauth-clients.js';
import { PLATFORM_ADMIN, TENANT_ADMIN } from '../../tenancy/scopes.js';
import { type ApiRequest, type ApiRoute, reachTenant } from './route.js';

const ADMINS = [PLATFORM_ADMIN, TENANT_ADMIN];
const problem = 'urn:edhub:schema:api:problem';
const notFound = { description: 'No such tenant or credential (or not one this credential can reach)', schema: problem };

/** OAuth clients and API keys of a tenant: created (secret shown once), listed masked, revoked. */
export const credentialRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/tenants/{tenantId}/oauth-clients',
    operationId: 'listOAuthClients',
    summary: "List a tenant's OAuth clients (secrets are never shown again)",
    tag: 'credentials',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:list-query',
    responses: { 200: { description: 'A page of clients', schema: 'urn:edhub:schema:api:oauth-client-list' }, 404: notFound },
    async handle(deps, req: ApiRequest<ListQuery>) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      return { status: 200, body: await listOAuthClients(deps.db, tenantId, { limit: req.query.limit ?? 50, cursor: req.query.cursor }) };
    },
  },
  {
    method: 'post',
    path: '/api/v1/tenants/{tenantId}/oauth-clients',
    operationId: 'createOAuthClient',
    summary: 'Create an OAuth 2.0 client (client credentials grant); the response is the only time the secret is shown',
    tag: 'credentials',
    scopes: ADMINS,
    body: 'urn:edhub:schema:api:oauth-client-create',
    responses: { 201: { description: 'The client and its secret', schema: 'urn:edhub:schema:api:oauth-client-created' }, 404: notFound },
    async handle(deps, req: ApiRequest<unknown, OAuthClientCreate>) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      const created = await createOAuthClient(deps.db, deps.vault, req.ctx, tenantId, req.body);
      return { status: 201, body: created, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/tenants/{tenantId}/oauth-clients/{clientId}',
    operationId: 'revokeOAuthClient',
    summary: 'Revoke an OAuth client and every access token issued to it',
    tag: 'credentials',
    scopes: ADMINS,
    responses: { 200: { description: 'The revoked client', schema: 'urn:edhub:schema:api:oauth-client' }, 404: notFound },
    async handle(deps, req) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      return { status: 200, body: await revokeOAuthClient(deps.db, deps.vault, req.ctx, tenantId, req.params.clientId ?? '') };
    },
  },
  {
    method: 'get',
    path: '/api/v1/tenants/{tenantId}/api-keys',
    operationId: 'listApiKeys',
    summary: "List a tenant's API keys, masked",
    tag: 'credentials',
    scopes: ADMINS,
    query: 'urn:edhub:schema:api:list-query',
    responses: { 200: { description: 'A page of keys', schema: 'urn:edhub:schema:api:api-key-list' }, 404: notFound },
    async handle(deps, req: ApiRequest<ListQuery>) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      return { status: 200, body: await listApiKeys(deps.db, tenantId, { limit: req.query.limit ?? 50, cursor: req.query.cursor }) };
    },
  },
  {
    method: 'post',
    path: '/api/v1/tenants/{tenantId}/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key; the response is the only time the key is shown',
    tag: 'credentials',
    scopes: ADMINS,
    body: 'urn:edhub:schema:api:api-key-create',
    responses: { 201: { description: 'The key', schema: 'urn:edhub:schema:api:api-key-created' }, 404: notFound },
    async handle(deps, req: ApiRequest<unknown, ApiKeyCreate>) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      const created = await createApiKey(deps.db, req.ctx, tenantId, req.body);
      return { status: 201, body: created, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/tenants/{tenantId}/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    tag: 'credentials',
    scopes: ADMINS,
    responses: { 200: { description: 'The revoked key', schema: 'urn:edhub:schema:api:api-key' }, 404: notFound },
    async handle(deps, req) {
      const tenantId = await reachTenant(deps, req.principal, req.params.tenantId, ADMINS);
      return { status: 200, body: await revokeApiKey(deps.db, req.ctx, tenantId, req.params.keyId ?? '') };
    },
  },
];
