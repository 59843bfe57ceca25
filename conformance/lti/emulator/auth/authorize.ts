import type { EmulatorContext } from '../context.js';
import { issueIdToken } from '../id-token/issue-id-token.js';
import { AuthError } from './auth-error.js';
import type { AuthCheck, AuthParams, AuthState } from './auth-request.js';
import { checkClient } from './check-client.js';
import { checkLaunch } from './check-launch.js';
import { checkLoginHint } from './check-login-hint.js';
import { checkPrompt } from './check-prompt.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkRequiredParameters } from './check-required-parameters.js';
import { checkResponseMode } from './check-response-mode.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';

/**
 * The OIDC authorization endpoint (SEC §5.1.1.2–3; CORE §4.1): the checks Moodle's mod/lti/auth.php
 * makes, in its order, then the id_token. Each check names the rule it enforces.
 */
const CHECKS: readonly AuthCheck[] = [
  checkRequiredParameters, // scope, response_type, client_id, redirect_uri, login_hint, nonce present
  checkScope, //               scope = openid                         → invalid_scope
  checkResponseType, //        response_type = id_token               → unsupported_response_type
  checkClient, //              client_id is a registered tool         → unauthorized_client
  checkRedirectUri, //         redirect_uri registered for that tool  → invalid_request
  checkResponseMode, //        response_mode = form_post              → invalid_request
  checkPrompt, //              prompt = none                          → invalid_request
  checkLaunch, //              lti_message_hint names a live launch   → invalid_request
  checkLoginHint, //           login_hint is the launch's user        → login_required
];

export type AuthorizeOutcome =
  /** Auto-submit `fields` to `action` (the id_token, or an error the tool should see). */
  | { kind: 'form_post'; action: string; fields: Record<string, string>; error?: AuthError }
  /** The error cannot go back to the tool (unknown client or unregistered redirect_uri): show it to the user. */
  | { kind: 'error_page'; error: AuthError; state?: string };

export async function authorize(ctx: EmulatorContext, params: AuthParams): Promise<AuthorizeOutcome> {
  const state: AuthState = { params };
  try {
    for (const check of CHECKS) check(ctx, state);
    const launch = state.launch as NonNullable<AuthState['launch']>;
    const issued = await issueIdToken(ctx, launch, params.nonce as string, params.state);
    ctx.logger.info({ launch: launch.id, clientId: launch.clientId, messageType: launch.messageType, tamper: launch.tamper }, 'lti emulator: id_token issued');
    return { kind: 'form_post', action: params.redirect_uri as string, fields: issued.fields };
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    ctx.logger.warn(
      { check: err.check, error: err.code, description: err.description, clientId: params.client_id },
      'lti emulator: authentication request refused',
    );
    return deliverError(ctx, params, err);
  }
}

/** RFC 6749 §4.1.2.1: errors go back to the client only when the client and its redirect_uri are known to be genuine. */
function deliverError(ctx: EmulatorContext, params: AuthParams, error: AuthError): AuthorizeOutcome {
  const tool = ctx.tools.get(params.client_id ?? '');
  const redirectUri = params.redirect_uri ?? '';
  if (!tool?.redirectUris.includes(redirectUri)) return { kind: 'error_page', error, ...(params.state !== undefined ? { state: params.state } : {}) };
  const fields: Record<string, string> = { error: error.code, error_description: error.description };
  if (params.state !== undefined) fields.state = params.state;
  return { kind: 'form_post', action: redirectUri, fields, error };
}
