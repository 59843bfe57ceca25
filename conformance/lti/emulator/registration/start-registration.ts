import type { EmulatorContext } from '../context.js';

/**
 * DR §3.3 (registration initiation): the platform opens the tool's registration URL with its
 * openid_configuration URL and a one-time registration_token in the query string.
 */
export function startDynamicRegistration(ctx: EmulatorContext, toolRegistrationUrl: string): { url: string; registrationToken: string } {
  const url = new URL(toolRegistrationUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`not an http(s) URL: ${toolRegistrationUrl}`);
  const registrationToken = ctx.registrationTokens.issue();
  url.searchParams.set('openid_configuration', ctx.endpoints.openidConfiguration);
  url.searchParams.set('registration_token', registrationToken);
  return { url: url.toString(), registrationToken };
}
