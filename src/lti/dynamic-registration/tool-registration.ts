import { readLtiStandard } from '../standard-file.js';
import { toolUrls } from '../target-link.js';
import type { PlatformConfiguration } from './platform-configuration.js';

const dr = readLtiStandard<{ toolConfigurationClaim: string }>('dynamic-registration.json');
const advantageScopes = readLtiStandard<{ scopes: { scope: string }[] }>('scopes.json').scopes.map((s) => s.scope);

/** The message types EdHub's tool offers; Deep Linking joins when Deep Linking 2.0 responses exist. */
const TOOL_MESSAGES = ['LtiResourceLinkRequest'];
/** The OIDC claims the tool asks platforms to send. */
const TOOL_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'];

/**
 * The registration request the tool POSTs (DR §3.5; fact sheet §10.3). Validated against what the
 * platform advertises first (§10.4, Canvas answers 422 otherwise): only message types in its
 * messages_supported, only scopes in its scopes_supported, only claims in its claims_supported.
 */
export function toolRegistrationRequest(config: PlatformConfiguration, tool: { baseUrl: string; clientName: string }): Record<string, unknown> {
  const urls = toolUrls(tool.baseUrl);
  const supported = (offered: string[], advertised: string[] | undefined) => (advertised ? offered.filter((x) => advertised.includes(x)) : offered);
  const messages = supported(TOOL_MESSAGES, config.lti.messagesSupported).map((type) => ({ type, target_link_uri: urls.launch, label: tool.clientName }));
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: tool.clientName,
    jwks_uri: urls.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: supported(advantageScopes, config.scopesSupported).join(' '),
    [dr.toolConfigurationClaim]: {
      domain: new URL(tool.baseUrl).host,
      target_link_uri: urls.launch,
      description: 'EdHub, the standards-first education interoperability server',
      claims: supported(TOOL_CLAIMS, config.claimsSupported),
      messages,
    },
  };
}
