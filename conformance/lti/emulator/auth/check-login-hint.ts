import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/**
 * login_hint identifies the current platform user (Moodle compares it with the session user). The
 * emulator's "session user" is the launch's user; anyone else is not logged in.
 */
export const checkLoginHint: AuthCheck = (_ctx, { params, launch }) => {
  if (params.login_hint !== launch?.userId) {
    throw new AuthError('login_required', 'login_hint does not identify the user who started this launch', 'login-hint');
  }
};
