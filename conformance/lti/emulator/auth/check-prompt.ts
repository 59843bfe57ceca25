import { vocabulary } from '../vocabulary.js';
import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** SEC §5.1.1.2: prompt is "none" — the platform never interacts with the user during the launch. */
export const checkPrompt: AuthCheck = (_ctx, { params }) => {
  if (params.prompt !== vocabulary.oidcAuthRequest.prompt) {
    throw new AuthError('invalid_request', `prompt must be "${vocabulary.oidcAuthRequest.prompt}", got "${params.prompt}"`, 'prompt');
  }
};
