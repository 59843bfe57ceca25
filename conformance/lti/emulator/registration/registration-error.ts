/**
 * Errors of the registration endpoint: RFC 7591 §3.2.2 codes for a refused registration, and RFC 6750
 * `invalid_token` for a missing or bad registration token (DR §3.5.1 puts it in a Bearer header).
 */
export type RegistrationErrorCode = 'invalid_client_metadata' | 'invalid_redirect_uri' | 'invalid_token';

export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
  readonly status: 400 | 401;
  constructor(
    readonly code: RegistrationErrorCode,
    readonly description: string,
    readonly check: string,
  ) {
    super(`${code}: ${description}`);
    this.status = code === 'invalid_token' ? 401 : 400;
  }

  toBody(): { error: RegistrationErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
