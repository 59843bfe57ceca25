import { type Claims, objectClaim, stringAt } from '../claims.js';

/**
 * The service endpoints a launch announces (fact sheet §4.1): where reconciliation and passback find
 * the URLs they hand to fetchMemberships, listLineItems and postScore. Malformed claims read as absent.
 */
export interface AgsEndpoint {
  /** The context's line item container (`lineitems`), when the platform lets the tool manage line items. */
  lineItemsUrl?: string;
  /** The resource link's own line item (`lineitem`), when there is exactly one. */
  lineItemUrl?: string;
  /** The scopes the platform offers for this context (AGS §3.1 `scope`). */
  scopes: string[];
}

export interface NrpsEndpoint {
  membershipsUrl: string;
  serviceVersions: string[];
}

export function agsEndpointOf(claims: Claims): AgsEndpoint | undefined {
  const claim = objectClaim(claims, 'agsEndpoint');
  if (!claim) return undefined;
  const lineItemsUrl = stringAt(claim, 'lineitems');
  const lineItemUrl = stringAt(claim, 'lineitem');
  const scopes = Array.isArray(claim.scope) ? claim.scope.filter((s): s is string => typeof s === 'string') : [];
  if (lineItemsUrl === null && lineItemUrl === null) return undefined;
  return { ...(lineItemsUrl !== null ? { lineItemsUrl } : {}), ...(lineItemUrl !== null ? { lineItemUrl } : {}), scopes };
}

export function nrpsEndpointOf(claims: Claims): NrpsEndpoint | undefined {
  const claim = objectClaim(claims, 'nrps');
  const membershipsUrl = stringAt(claim, 'context_memberships_url');
  if (membershipsUrl === null) return undefined;
  const versions = claim?.service_versions;
  return { membershipsUrl, serviceVersions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [] };
}
