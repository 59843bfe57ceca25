import type { EmulatorContext } from '../context.js';
import { ALL_SCOPES, MESSAGE_TYPES, vocabulary } from '../vocabulary.js';

/**
 * The platform's OpenID configuration (DR §3.4; shared/standards/lti.md §10.2): what a tool fetches
 * during Dynamic Registration to learn the endpoints and what the platform supports.
 */
export function openIdConfiguration(ctx: EmulatorContext): Record<string, unknown> {
  const { endpoints, options } = ctx;
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: endpoints.jwks,
    registration_endpoint: endpoints.registration,
    authorization_server: endpoints.token,
    scopes_supported: ['openid', ...ALL_SCOPES],
    response_types_supported: ['id_token'],
    response_modes_supported: ['form_post'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'aud', 'sub', 'name', 'given_name', 'family_name', 'middle_name', 'email', 'picture', 'locale'],
    [vocabulary.platformConfiguration]: {
      product_family_code: options.platform.productFamilyCode,
      version: options.platform.version,
      messages_supported: MESSAGE_TYPES.map((type) => ({ type })),
      variables: Object.keys(vocabulary.substitutionVariables),
    },
  };
}
