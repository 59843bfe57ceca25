/** RFC 6749 §5.2 error codes, each with the status the token endpoint answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

const STATUS: Record<OAuthErrorCode, 400 | 401> = {
  invalid_request: 400,
  // §5.2: 401 when the client tried to authenticate (here: always, with a client assertion).
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly status: 400 | 401;
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** The check that refused the request (logged). */
    readonly check: string,
  ) {
    super(`${code}: ${description}`);
    this.status = STATUS[code];
  }

  /** The RFC 6749 §5.2 JSON body. */
  toBody(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
