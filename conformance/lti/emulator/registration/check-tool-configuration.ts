import { isMessageType, vocabulary } from '../vocabulary.js';
import { isStringArray } from './check-client-metadata.js';
import { RegistrationError } from './registration-error.js';
import { isToolUrl, type RegistrationCheck } from './registration-request.js';

/**
 * DR §3.2 (LTI tool configuration): domain and target_link_uri are required; messages must be types
 * the platform advertised in messages_supported (Canvas answers 422 otherwise, shared/standards/lti.md
 * §10.4); custom parameters are strings; claims a list of names.
 */
export const checkToolConfiguration: RegistrationCheck = (_ctx, state) => {
  const c = state.toolConfiguration as Record<string, unknown>;
  const fail = (description: string) =>
    new RegistrationError('invalid_client_metadata', `${vocabulary.toolConfiguration}: ${description}`, 'tool-configuration');
  if (typeof c.domain !== 'string' || c.domain.trim() === '') throw fail('domain is required');
  if (c.secondary_domains !== undefined && !isStringArray(c.secondary_domains)) throw fail('secondary_domains must be a list of strings');
  if (!isToolUrl(c.target_link_uri)) throw fail('target_link_uri is required and must be an https URL');
  if (c.claims !== undefined && !isStringArray(c.claims)) throw fail('claims must be a list of strings');
  if (c.custom_parameters !== undefined && !isStringRecord(c.custom_parameters)) throw fail('custom_parameters values must be strings');
  if (c.messages === undefined) return;
  if (!Array.isArray(c.messages)) throw fail('messages must be a list');
  for (const message of c.messages as Record<string, unknown>[]) {
    if (!isMessageType(message?.type)) throw fail(`message type ${JSON.stringify(message?.type)} is not supported by this platform`);
    if (message.target_link_uri !== undefined && !isToolUrl(message.target_link_uri)) throw fail(`${message.type}: target_link_uri must be an https URL`);
    if (message.custom_parameters !== undefined && !isStringRecord(message.custom_parameters))
      throw fail(`${message.type}: custom_parameters values must be strings`);
  }
};

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
