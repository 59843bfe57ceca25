import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** OIDC Core §3.1.2.1: redirect_uri exactly matches one the tool registered (no prefix or pattern matching). */
export const checkRedirectUri: AuthCheck = (_ctx, { params, tool }) => {
  if (!tool?.redirectUris.includes(params.redirect_uri ?? '')) {
    throw new AuthError('invalid_request', `redirect_uri "${params.redirect_uri}" is not registered for this client`, 'redirect-uri');
  }
};
