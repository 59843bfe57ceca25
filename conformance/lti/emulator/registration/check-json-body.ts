import { vocabulary } from '../vocabulary.js';
import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck } from './registration-request.js';

/** DR §3.5: the registration is a JSON object carrying the LTI tool configuration block. */
export const checkJsonBody: RegistrationCheck = (_ctx, state) => {
  const type = state.request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new RegistrationError('invalid_client_metadata', 'the registration must be sent as application/json', 'json-body');
  const body = state.request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RegistrationError('invalid_client_metadata', 'the registration must be a JSON object', 'json-body');
  }
  const metadata = body as Record<string, unknown>;
  const configuration = metadata[vocabulary.toolConfiguration];
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    throw new RegistrationError('invalid_client_metadata', `${vocabulary.toolConfiguration} is required and must be an object`, 'json-body');
  }
  state.metadata = metadata;
  state.toolConfiguration = configuration as Record<string, unknown>;
};
