/**
 * Errors of the Advantage service endpoints. Bearer token problems follow RFC 6750 §3.1
 * (invalid_token 401, insufficient_scope 403, with a WWW-Authenticate challenge); the rest are plain
 * HTTP errors with a reason a tool developer can act on.
 */
export type ServiceErrorCode =
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_request'
  | 'not_found'
  | 'not_acceptable'
  | 'unsupported_media_type'
  | 'stale_score'
  | 'method_not_allowed';

const STATUS: Record<ServiceErrorCode, number> = {
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_request: 400,
  not_found: 404,
  not_acceptable: 406,
  unsupported_media_type: 415,
  // AGS §3.4: a score older than the one applied must not be applied; the status is platform-specific (lti.md §16).
  stale_score: 409,
  method_not_allowed: 405,
};

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly status: number;
  constructor(
    readonly code: ServiceErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${description}`);
    this.status = STATUS[code];
  }

  toBody(): { error: ServiceErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
