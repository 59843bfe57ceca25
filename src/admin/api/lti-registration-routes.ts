import type { LtiRegistrationInvitationCreate, LtiTenantQuery, TenantScopeQuery } from '../../generated/api-types.js';
import { createInvitation, invitationOwner, listInvitations, revokeInvitation } from '../../lti/dynamic-registration/invitations.js';
import { LTI_ADMINS, ltiObjectTenant, ltiTenant } from './lti-tenant.js';
import type { ApiRequest, ApiRoute } from './route.js';

const problem = 'urn:edhub:schema:api:problem';

/** Dynamic Registration invitations: the per-tenant `/lti/register/{token}` URLs (issue 5 item 2). */
export const ltiRegistrationRoutes: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/lti/registration-invitations',
    operationId: 'createLtiRegistrationInvitation',
    summary: 'Create a Dynamic Registration URL for a tenant, to paste into an LMS; it works once and expires; shown only in this response',
    tag: 'lti',
    scopes: LTI_ADMINS,
    query: 'urn:edhub:schema:api:lti-tenant-query',
    body: 'urn:edhub:schema:api:lti-registration-invitation-create',
    responses: { 201: { description: 'The invitation and its URL', schema: 'urn:edhub:schema:api:lti-registration-invitation-created' } },
    async handle(deps, req: ApiRequest<LtiTenantQuery, LtiRegistrationInvitationCreate>) {
      const tenantId = await ltiTenant(deps, req.principal, req.query.tenantId);
      const created = await createInvitation(deps.db, req.ctx, tenantId, req.body, { baseUrl: deps.config.baseUrl ?? '', now: deps.now() });
      return { status: 201, body: created, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'get',
    path: '/api/v1/lti/registration-invitations',
    operationId: 'listLtiRegistrationInvitations',
    summary: "List a tenant's Dynamic Registration invitations (their URLs are never shown again)",
    tag: 'lti',
    scopes: LTI_ADMINS,
    query: 'urn:edhub:schema:api:tenant-scope-query',
    responses: { 200: { description: 'A page of invitations', schema: 'urn:edhub:schema:api:lti-registration-invitation-list' } },
    async handle(deps, req: ApiRequest<TenantScopeQuery>) {
      const tenantId = await ltiTenant(deps, req.principal, req.query.tenantId);
      return { status: 200, body: await listInvitations(deps.db, tenantId, { limit: req.query.limit ?? 50, cursor: req.query.cursor }, deps.now()) };
    },
  },
  {
    method: 'delete',
    path: '/api/v1/lti/registration-invitations/{invitationId}',
    operationId: 'revokeLtiRegistrationInvitation',
    summary: 'Revoke an invitation: its URL stops working',
    tag: 'lti',
    scopes: LTI_ADMINS,
    responses: {
      200: { description: 'The revoked invitation', schema: 'urn:edhub:schema:api:lti-registration-invitation' },
      404: { description: 'No such invitation (or not one this credential can reach)', schema: problem },
    },
    async handle(deps, req) {
      const tenantId = await ltiObjectTenant(deps, req.principal, req.params.invitationId, (id) => invitationOwner(deps.db, id), 'registration invitation');
      return { status: 200, body: await revokeInvitation(deps.db, req.ctx, tenantId, req.params.invitationId ?? '', deps.now()) };
    },
  },
];
