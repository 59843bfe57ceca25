import type { Registration } from '../registrations/registration.js';
import type { LoginParameters } from './login-parameters.js';

/**
 * The authentication request to the platform (SEC §5.1.1.2; fact sheet §2.2): exactly the values
 * Moodle's auth.php insists on, the registration's client_id, the one redirect URI, the login's
 * hints echoed unchanged, and the fresh state and nonce. Parameters already in the platform's
 * authorization URL are kept.
 */
export function authenticationRequestUrl(
  registration: Registration,
  login: LoginParameters,
  issued: { state: string; nonce: string },
  redirectUri: string,
): string {
  const url = new URL(registration.authUrl);
  const params: [string, string | undefined][] = [
    ['scope', 'openid'],
    ['response_type', 'id_token'],
    ['response_mode', 'form_post'],
    ['prompt', 'none'],
    ['client_id', registration.clientId],
    ['redirect_uri', redirectUri],
    ['login_hint', login.loginHint],
    ['lti_message_hint', login.ltiMessageHint],
    ['state', issued.state],
    ['nonce', issued.nonce],
  ];
  for (const [name, value] of params) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
