import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck } from './registration-request.js';

/**
 * DR §3.2: the tool's login, redirect and launch URLs live on its declared domain (or a secondary
 * domain, or a subdomain of either). A domain may carry a port ("127.0.0.1:3000", as ltijs sends it).
 */
export const checkDomains: RegistrationCheck = (_ctx, state) => {
  const m = state.metadata as Record<string, unknown>;
  const c = state.toolConfiguration as Record<string, unknown>;
  const domains = [c.domain as string, ...((c.secondary_domains as string[] | undefined) ?? [])].map((d) => d.toLowerCase());
  const onDomain = (value: string) => {
    const url = new URL(value);
    return domains.some((d) => url.host === d || url.hostname === d || url.hostname.endsWith(`.${d}`));
  };
  const messageTargets = ((c.messages as Record<string, unknown>[] | undefined) ?? []).flatMap((msg) =>
    typeof msg.target_link_uri === 'string' ? [msg.target_link_uri] : [],
  );
  for (const uri of m.redirect_uris as string[]) {
    if (!onDomain(uri)) throw new RegistrationError('invalid_redirect_uri', `redirect URI ${uri} is not on the tool's domain`, 'domains');
  }
  for (const uri of [m.initiate_login_uri as string, c.target_link_uri as string, ...messageTargets]) {
    if (!onDomain(uri)) throw new RegistrationError('invalid_client_metadata', `${uri} is not on the tool's domain (${domains.join(', ')})`, 'domains');
  }
};
