import { vocabulary } from '../vocabulary.js';
import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** SEC §5.1.1.2: response_type is "id_token" (the implicit flow LTI uses). */
export const checkResponseType: AuthCheck = (_ctx, { params }) => {
  if (params.response_type !== vocabulary.oidcAuthRequest.responseType) {
    throw new AuthError(
      'unsupported_response_type',
      `response_type must be "${vocabulary.oidcAuthRequest.responseType}", got "${params.response_type}"`,
      'response-type',
    );
  }
};
