import { RegistrationError } from './registration-error.js';
import { isToolUrl, type RegistrationCheck } from './registration-request.js';

/** DR §3.1: where the platform sends logins and launches, and where it fetches the tool's keys. */
export const checkToolUrls: RegistrationCheck = (_ctx, state) => {
  const m = state.metadata as Record<string, unknown>;
  if (!isToolUrl(m.initiate_login_uri)) throw new RegistrationError('invalid_client_metadata', 'initiate_login_uri must be an https URL', 'tool-urls');
  if (!Array.isArray(m.redirect_uris) || m.redirect_uris.length === 0 || !m.redirect_uris.every(isToolUrl)) {
    throw new RegistrationError('invalid_redirect_uri', 'redirect_uris must be a non-empty list of https URLs without fragments', 'tool-urls');
  }
  if (!isToolUrl(m.jwks_uri)) throw new RegistrationError('invalid_client_metadata', 'jwks_uri must be an https URL', 'tool-urls');
};
