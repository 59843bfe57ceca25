/**
 * The LTI error family: one row per stable code, with the check it belongs to, its HTTP status and a
 * title safe to show a person. A failure is rendered in exactly one place (src/lti/respond.ts): an
 * HTML page with the title, the code and the request id, and one log line naming check and code.
 * Details (what exactly was wrong) go to the log only — they may quote attacker-supplied input.
 *
 * Status follows the fact sheet §3: 401 for authentication and signature problems, 400 for
 * malformed messages; 502 when a platform's endpoint cannot be reached.
 */
export const LTI_ERRORS = {
  // OIDC login initiation (SEC §5.1.1; fact sheet §2.1, §1.2)
  'login-parameter-missing': { check: 'login-parameters', status: 400, title: 'The login request lacks a required parameter' },
  'login-parameter-invalid': { check: 'login-parameters', status: 400, title: 'The login request has an invalid parameter' },
  'registration-unknown': { check: 'login-registration', status: 400, title: 'This platform is not registered with EdHub' },
  'registration-ambiguous': { check: 'login-registration', status: 400, title: 'Several registrations match this platform; it must send client_id' },
  'login-target-link-uri-not-allowed': { check: 'login-target-link-uri', status: 400, title: 'The launch target is not a URL of this tool' },

  // Launch, in the order of the checklist (fact sheet §3)
  'state-missing': { check: 'state', status: 401, title: 'The launch has no state' },
  'state-unknown': { check: 'state', status: 401, title: 'The launch state is not one this tool issued' },
  'state-expired': { check: 'state', status: 401, title: 'The launch took too long; start it again' },
  'state-used': { check: 'state', status: 401, title: 'This launch was already used; start it again' },
  'state-mismatch': { check: 'state', status: 401, title: 'The launch did not start in this browser' },
  'id-token-missing': { check: 'format', status: 400, title: 'The launch has no id_token' },
  'id-token-too-large': { check: 'format', status: 400, title: 'The id_token is too large' },
  'jwt-malformed': { check: 'format', status: 400, title: 'The id_token is not an LTI 1.3 JWT' },
  'alg-not-allowed': { check: 'algorithm', status: 401, title: 'The id_token is not signed with RS256' },
  'kid-missing': { check: 'kid', status: 401, title: 'The id_token header has no key id' },
  'iss-mismatch': { check: 'registration', status: 401, title: 'The id_token comes from another issuer than the login' },
  'aud-mismatch': { check: 'registration', status: 401, title: 'The id_token is not addressed to this tool' },
  'kid-unknown': { check: 'jwks-key', status: 401, title: "The id_token's key is not in the platform's key set" },
  'jwks-unavailable': { check: 'jwks-key', status: 502, title: "The platform's key set could not be fetched" },
  'signature-invalid': { check: 'signature', status: 401, title: 'The id_token signature is invalid' },
  'aud-untrusted': { check: 'audience', status: 401, title: 'The id_token names audiences this tool does not trust' },
  'azp-mismatch': { check: 'audience', status: 401, title: 'The id_token was issued for another party' },
  'exp-invalid': { check: 'timestamps', status: 400, title: 'The id_token has no valid expiry' },
  'iat-invalid': { check: 'timestamps', status: 400, title: 'The id_token has no valid issue time' },
  'token-expired': { check: 'timestamps', status: 401, title: 'The id_token has expired' },
  'iat-in-future': { check: 'timestamps', status: 401, title: 'The id_token was issued in the future' },
  'iat-too-old': { check: 'timestamps', status: 401, title: 'The id_token is too old' },
  'nonce-missing': { check: 'nonce', status: 401, title: 'The id_token has no nonce' },
  'nonce-replayed': { check: 'nonce', status: 401, title: 'The id_token was already used' },
  'nonce-mismatch': { check: 'nonce', status: 401, title: 'The id_token does not belong to this launch' },
  'version-missing': { check: 'version', status: 400, title: 'The launch has no LTI version' },
  'version-unsupported': { check: 'version', status: 400, title: 'The launch is not LTI 1.3' },
  'message-type-missing': { check: 'message-type', status: 400, title: 'The launch has no message type' },
  'message-type-unsupported': { check: 'message-type', status: 400, title: 'This tool does not accept this message type' },
  'deployment-id-missing': { check: 'deployment', status: 400, title: 'The launch has no deployment id' },
  'deployment-id-invalid': { check: 'deployment', status: 400, title: 'The deployment id is invalid' },
  'deployment-id-mismatch': { check: 'deployment', status: 400, title: 'The deployment id differs from the one the login announced' },
  'deployment-unknown': { check: 'deployment', status: 401, title: 'This deployment is not registered with EdHub' },
  'roles-missing': { check: 'roles', status: 400, title: 'The launch has no roles claim' },
  'roles-invalid': { check: 'roles', status: 400, title: 'The roles claim is not a list' },
  'sub-missing': { check: 'subject', status: 400, title: 'The launch does not say who the user is' },
  'sub-empty': { check: 'subject', status: 400, title: 'The launch has an empty user id' },
  'sub-invalid': { check: 'subject', status: 400, title: 'The user id is invalid' },
  'required-claim-missing': { check: 'message-claims', status: 400, title: 'The launch lacks a claim its message type requires' },
  'claim-invalid': { check: 'message-claims', status: 400, title: 'A claim of the launch is malformed' },
  'target-link-uri-not-allowed': { check: 'target-link-uri', status: 400, title: 'The launch target is not a URL of this tool' },

  // Application sessions (launch tokens)
  'launch-token-missing': { check: 'launch-token', status: 401, title: 'No launch token was presented' },
  'launch-token-invalid': { check: 'launch-token', status: 401, title: 'The launch token is invalid or has expired' },

  // Dynamic Registration 1.0 (fact sheet §10)
  'invitation-invalid': { check: 'registration-invitation', status: 404, title: 'This registration link is not valid (unknown, used, revoked or expired)' },
  'invitation-busy': { check: 'registration-invitation', status: 409, title: 'This registration is already being completed' },
  'openid-configuration-missing': { check: 'registration-initiation', status: 400, title: 'The registration request has no openid_configuration' },
  'openid-configuration-invalid-url': { check: 'registration-initiation', status: 400, title: 'openid_configuration is not an acceptable URL' },
  'registration-origin-mismatch': { check: 'registration-initiation', status: 403, title: 'The confirmation did not come from this page' },
  'openid-configuration-unreachable': { check: 'platform-configuration', status: 502, title: "The platform's configuration could not be fetched" },
  'openid-configuration-invalid': { check: 'platform-configuration', status: 502, title: "The platform's configuration is not valid" },
  'issuer-host-mismatch': { check: 'platform-configuration', status: 400, title: "The platform's issuer is not on the host its configuration came from" },
  'registration-rejected': { check: 'tool-registration', status: 502, title: 'The platform refused the registration' },
  'registration-response-invalid': { check: 'tool-registration', status: 502, title: "The platform's registration answer is not valid" },
  'registration-conflict': { check: 'tool-registration', status: 409, title: 'This platform registration already exists in EdHub' },

  // The HTTP request itself
  'request-too-large': { check: 'request', status: 413, title: 'The request is too large' },
  'request-malformed': { check: 'request', status: 400, title: 'The request could not be read' },
} as const satisfies Record<string, { check: string; status: number; title: string }>;

export type LtiErrorCode = keyof typeof LTI_ERRORS;
export type LtiCheck = (typeof LTI_ERRORS)[LtiErrorCode]['check'];

export class LtiError extends Error {
  override readonly name = 'LtiError';
  readonly check: LtiCheck;
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: LtiErrorCode,
    /** For the log only: what exactly failed. Never shown to the user. */
    readonly detail: string,
    /** Log context (platform id, tenant…) known when the check failed. */
    readonly context: Record<string, string | undefined> = {},
  ) {
    super(`${code}: ${detail}`);
    const row = LTI_ERRORS[code];
    this.check = row.check;
    this.status = row.status;
    this.title = row.title;
  }
}
