/** Every URL the emulated platform publishes, built from its base URL in one place. */
export interface PlatformEndpoints {
  base: string;
  issuer: string;
  openidConfiguration: string;
  jwks: string;
  authorization: string;
  token: string;
  registration: string;
  deepLinkReturn(launchId: string): string;
  memberships(contextId: string): string;
  lineItems(contextId: string): string;
  lineItem(contextId: string, lineItemId: string): string;
  scores(contextId: string, lineItemId: string): string;
  results(contextId: string, lineItemId: string): string;
}

export function platformEndpoints(base: string, issuer: string, lineItemQuery: Record<string, string>): PlatformEndpoints {
  const at = (path: string) => `${base}${path}`;
  const context = (id: string) => at(`/lti/contexts/${encodeURIComponent(id)}`);
  const query = new URLSearchParams(lineItemQuery).toString();
  // Moodle-like line item URLs carry a query string: service paths go before it (shared/standards/lti.md §8.2).
  const lineItemPath = (contextId: string, id: string, suffix = '') =>
    `${context(contextId)}/lineitems/${encodeURIComponent(id)}/lineitem${suffix}${query ? `?${query}` : ''}`;
  return {
    base,
    issuer,
    openidConfiguration: at('/.well-known/openid-configuration'),
    jwks: at('/.well-known/jwks.json'),
    authorization: at('/lti/auth'),
    token: at('/lti/token'),
    registration: at('/lti/register'),
    deepLinkReturn: (launchId) => at(`/lti/deep-linking/return/${encodeURIComponent(launchId)}`),
    memberships: (contextId) => `${context(contextId)}/memberships`,
    lineItems: (contextId) => `${context(contextId)}/lineitems`,
    lineItem: (contextId, id) => lineItemPath(contextId, id),
    scores: (contextId, id) => lineItemPath(contextId, id, '/scores'),
    results: (contextId, id) => lineItemPath(contextId, id, '/results'),
  };
}
