import { vocabulary } from '../vocabulary.js';
import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/** SEC §4.1.1 / RFC 7523 §2.2: the client authenticates with a JWT bearer client assertion, nothing else. */
export const checkAssertionType: TokenCheck = (_ctx, { request }) => {
  const { client_assertion_type: type, client_assertion: assertion } = request.form;
  if (!type || !assertion) throw new OAuthError('invalid_request', 'client_assertion_type and client_assertion are required', 'assertion-type');
  if (type !== vocabulary.clientAssertionType) {
    throw new OAuthError('invalid_client', `client_assertion_type must be ${vocabulary.clientAssertionType}`, 'assertion-type');
  }
  if (request.form.client_secret !== undefined) throw new OAuthError('invalid_request', 'a client authenticates with one method only', 'assertion-type');
};
