import { vocabulary } from '../vocabulary.js';
import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** SEC §5.1.1.2: scope is exactly "openid". */
export const checkScope: AuthCheck = (_ctx, { params }) => {
  if (params.scope !== vocabulary.oidcAuthRequest.scope) {
    throw new AuthError('invalid_scope', `scope must be "${vocabulary.oidcAuthRequest.scope}", got "${params.scope}"`, 'scope');
  }
};
