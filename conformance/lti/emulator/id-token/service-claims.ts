import type { EmulatorContext } from '../context.js';
import { AGS_SCOPES, CLAIM, SCOPE, vocabulary } from '../vocabulary.js';
import type { Claims } from './common-claims.js';
import type { LaunchSubject } from './launch-subject.js';

/**
 * LTI Advantage service claims pointing at the emulator's own endpoints: AGS `endpoint` (AGS §3.1:
 * the scopes granted to the tool, the context's line item container, and the link's line item if it
 * has one) and NRPS `namesroleservice` (NRPS §3.6.1). Both need a context; each needs the tool to
 * hold at least one of its scopes.
 */
export function serviceClaims(ctx: EmulatorContext, subject: LaunchSubject, lineItemId?: string): Claims {
  const { tool, context, resourceLink } = subject;
  if (!context) return {};
  const claims: Claims = {};
  const agsScopes = tool.scopes.filter((s) => AGS_SCOPES.includes(s));
  const boundLineItem = lineItemId ?? (resourceLink ? ctx.lineItems.list(context.id, tool.clientId, { resourceLinkId: resourceLink.id })[0]?.id : undefined);
  if (agsScopes.length > 0) {
    claims[CLAIM.agsEndpoint] = {
      scope: agsScopes,
      lineitems: ctx.endpoints.lineItems(context.id),
      ...(boundLineItem ? { lineitem: ctx.endpoints.lineItem(context.id, boundLineItem) } : {}),
    };
  }
  if (tool.scopes.includes(SCOPE.contextMembershipReadOnly)) {
    claims[CLAIM.nrps] = { context_memberships_url: ctx.endpoints.memberships(context.id), service_versions: vocabulary.nrps.serviceVersions };
  }
  return claims;
}
