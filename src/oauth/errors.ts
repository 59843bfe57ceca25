import type { OAuthError as OAuthErrorBody } from '../generated/api-types.js';

/** RFC 6749 §5.2 error codes; the token endpoint answers with exactly these, in OAuth's own body. */
export type OAuthErrorCode = OAuthErrorBody['error'];

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${description}`);
  }

  toBody(): OAuthErrorBody {
    return { error: this.code, error_description: this.description };
  }
}

/** §5.2: invalid_client is 401, with a WWW-Authenticate challenge for the scheme the client may use. */
export function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description, 401, { 'WWW-Authenticate': 'Basic realm="edhub", charset="UTF-8"' });
}
