/**
 * OIDC authentication error codes (OIDC Core §3.1.2.6, RFC 6749 §4.1.2.1) the auth endpoint answers
 * with — the codes Moodle's mod/lti/auth.php uses (shared/standards/lti.md §2.4).
 */
export type AuthErrorCode = 'invalid_request' | 'invalid_scope' | 'unauthorized_client' | 'unsupported_response_type' | 'login_required';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    readonly description: string,
    /** The check that refused the request (logged, and shown on the error page). */
    readonly check: string,
  ) {
    super(`${code}: ${description}`);
  }
}
