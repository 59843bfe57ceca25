import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/** SEC §4.1 / RFC 6749 §4.4.2: grant_type is client_credentials, the only grant LTI services use. */
export const checkGrantType: TokenCheck = (_ctx, { request }) => {
  const grantType = request.form.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is missing', 'grant-type');
  if (grantType !== 'client_credentials')
    throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported; use client_credentials`, 'grant-type');
};
