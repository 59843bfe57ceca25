import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck } from './registration-request.js';

/**
 * DR §3.1 (OIDC Dynamic Client Registration profile for LTI): a web application using the implicit
 * id_token flow for launches, client_credentials for services, authenticated by private_key_jwt.
 */
export const checkClientMetadata: RegistrationCheck = (_ctx, state) => {
  const m = state.metadata as Record<string, unknown>;
  const fail = (description: string) => new RegistrationError('invalid_client_metadata', description, 'client-metadata');
  if (m.application_type !== 'web') throw fail('application_type must be "web"');
  if (!isStringArray(m.response_types) || !m.response_types.includes('id_token')) throw fail('response_types must include "id_token"');
  if (!isStringArray(m.grant_types) || !m.grant_types.includes('implicit') || !m.grant_types.includes('client_credentials')) {
    throw fail('grant_types must include "implicit" and "client_credentials"');
  }
  if (m.token_endpoint_auth_method !== 'private_key_jwt') throw fail('token_endpoint_auth_method must be "private_key_jwt"');
  if (typeof m.client_name !== 'string' || m.client_name.trim() === '') throw fail('client_name is required');
};

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
