import { vocabulary } from '../vocabulary.js';
import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** SEC §5.1.1.2: response_mode is "form_post" — the id_token travels in a POST body, never a URL. */
export const checkResponseMode: AuthCheck = (_ctx, { params }) => {
  if (params.response_mode !== vocabulary.oidcAuthRequest.responseMode) {
    throw new AuthError(
      'invalid_request',
      `response_mode must be "${vocabulary.oidcAuthRequest.responseMode}", got "${params.response_mode}"`,
      'response-mode',
    );
  }
};
