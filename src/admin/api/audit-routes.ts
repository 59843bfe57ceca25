import type { AuditQuery } from '../../generated/api-types.js';
import { invalidField } from '../../problems.js';
import { listAudit } from '../../security/audit-log.js';
import { parseTenantId, type TenantId } from '../../tenancy/ids.js';
import { authorizeTenant, isPlatformAdmin, requireAnyScope } from '../../tenancy/principal.js';
import { AUDIT_READ, PLATFORM_ADMIN, TENANT_ADMIN } from '../../tenancy/scopes.js';
import type { ApiRequest, ApiRoute } from './route.js';

const READERS = [PLATFORM_ADMIN, TENANT_ADMIN, AUDIT_READ];

export const auditRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAuditEvents',
    summary: 'Read the audit log, newest first, with filters and keyset paging',
    tag: 'audit',
    scopes: READERS,
    query: 'urn:edhub:schema:api:audit-query',
    responses: {
      200: { description: 'A page of audit events', schema: 'urn:edhub:schema:api:audit-event-list' },
      404: { description: 'tenantId names a tenant this credential cannot reach', schema: 'urn:edhub:schema:api:problem' },
    },
    async handle(deps, req: ApiRequest<AuditQuery>) {
      const q = req.query;
      let tenantId: TenantId | undefined;
      if (q.tenantId) {
        tenantId = parseTenantId(q.tenantId) as TenantId;
        authorizeTenant(req.principal, tenantId, READERS);
      } else if (!isPlatformAdmin(req.principal)) {
        requireAnyScope(req.principal, READERS);
        tenantId = req.principal.tenantId ?? undefined;
      }
      if (q.cursor !== undefined && !/^\d{1,19}$/.test(q.cursor)) throw invalidField('query', '/cursor', 'is not a cursor returned by this API');
      const limit = q.limit ?? 50;
      const page = await listAudit(deps.db, {
        tenantId,
        actorType: q.actorType,
        actorId: q.actorId,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        beforeId: q.cursor,
        limit,
      });
      const last = page.events[page.events.length - 1];
      return { status: 200, body: { items: page.events, nextCursor: page.more && last ? last.id : null } };
    },
  },
];
