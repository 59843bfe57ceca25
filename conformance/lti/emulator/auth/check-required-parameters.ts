import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** SEC §5.1.1.2 / CORE §4.1.1: the parameters every LTI authentication request carries. Moodle auth.php refuses any missing one. */
const REQUIRED = ['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'nonce'] as const;

export const checkRequiredParameters: AuthCheck = (_ctx, { params }) => {
  const missing = REQUIRED.filter((name) => !params[name]);
  if (missing.length > 0) throw new AuthError('invalid_request', `required parameter(s) missing: ${missing.join(', ')}`, 'required-parameters');
};
