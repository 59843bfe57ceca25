import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/** RFC 6749 §4.4.2: the request body is application/x-www-form-urlencoded. */
export const checkContentType: TokenCheck = (_ctx, { request }) => {
  const type = request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded', 'content-type');
  }
};
