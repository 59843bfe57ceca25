import type { EmulatorContext } from '../../context.js';
import { customClaim } from '../../id-token/custom-claim.js';
import { CLAIM, MEDIA_TYPE, SCOPE } from '../../vocabulary.js';
import { authorizeBearer } from '../authorize-bearer.js';
import { negotiate } from '../media-types.js';
import { pageOf } from '../paging.js';
import { ServiceError } from '../service-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-request.js';
import { hasRole, member } from './member.js';

/**
 * NRPS context membership container (NRPS §2): GET with `role`, `limit`/`page`, `rlid` (adds each
 * member's message claims for that link) and `since` (the `differences` view: the latest change per
 * member since then, `Deleted` included). Every response links its `differences` URL.
 */
export function contextMemberships(ctx: EmulatorContext, contextId: string, req: ServiceRequest): ServiceResponse {
  const grant = authorizeBearer(ctx, req.authorization, [SCOPE.contextMembershipReadOnly]);
  const preferred = ctx.options.nrpsMediaType === 'legacy' ? MEDIA_TYPE.legacyMembershipContainer : MEDIA_TYPE.membershipContainer;
  const other = preferred === MEDIA_TYPE.membershipContainer ? MEDIA_TYPE.legacyMembershipContainer : MEDIA_TYPE.membershipContainer;
  negotiate(req.accept, [preferred, other]);
  const context = ctx.directory.context(contextId);
  if (!context) throw new ServiceError('not_found', `no context ${contextId}`);
  const tool = ctx.tools.get(grant.clientId);

  const role = req.url.searchParams.get('role');
  const rlid = req.url.searchParams.get('rlid');
  const since = req.url.searchParams.get('since');
  const link = rlid === null ? undefined : ctx.directory.resourceLink(rlid);
  if (rlid !== null && link?.contextId !== contextId) throw new ServiceError('invalid_request', `rlid ${rlid} is not a resource link of this context`);
  if (since !== null && !/^\d+$/.test(since)) throw new ServiceError('invalid_request', 'since must be the value from a differences link');

  const entries =
    since === null
      ? context.members.map((userId) => ({ userId, status: context.inactive?.includes(userId) ? ('Inactive' as const) : ('Active' as const) }))
      : ctx.directory.changesSince(contextId, Number(since)).map((c) => ({ userId: c.userId, status: c.status }));
  const members = entries.flatMap(({ userId, status }) => {
    const user = ctx.directory.user(userId);
    if (!user || (role !== null && !hasRole(user, role))) return [];
    const m = member(user, status);
    if (link && tool) {
      const custom = customClaim({ tool, messageType: 'LtiResourceLinkRequest', user, context, resourceLink: link });
      m.message = [{ [CLAIM.messageType]: 'LtiResourceLinkRequest', ...(custom ? { [CLAIM.custom]: custom } : {}) }];
    }
    return [m];
  });

  const page = pageOf(members, req.url, ctx.options.defaultPageSize);
  const differences = new URL(ctx.endpoints.memberships(contextId));
  differences.searchParams.set('since', String(ctx.now()));
  return {
    status: 200,
    headers: { 'Content-Type': preferred, Link: [...page.links, `<${differences.toString()}>; rel="differences"`].join(', ') },
    body: {
      id: req.url.toString(),
      context: {
        id: context.id,
        ...(context.label !== undefined ? { label: context.label } : {}),
        ...(context.title !== undefined ? { title: context.title } : {}),
      },
      members: page.items,
    },
  };
}
