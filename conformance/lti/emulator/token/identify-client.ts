import { decodeJwt } from 'jose';
import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/**
 * The assertion's `sub` names the client (Moodle token.php looks the tool up by it). The claims are
 * only read here; the next check verifies them. RFC 7523 §3.2: a bad assertion is invalid_client.
 */
export const identifyClient: TokenCheck = (ctx, state) => {
  let sub: unknown;
  try {
    sub = decodeJwt(state.request.form.client_assertion as string).sub;
  } catch {
    throw new OAuthError('invalid_client', 'client_assertion is not a JWT', 'identify-client');
  }
  const tool = typeof sub === 'string' ? ctx.tools.get(sub) : undefined;
  if (!tool) throw new OAuthError('invalid_client', `unknown client "${String(sub)}"`, 'identify-client');
  if (state.request.form.client_id !== undefined && state.request.form.client_id !== tool.clientId) {
    throw new OAuthError('invalid_client', 'client_id differs from the client assertion subject', 'identify-client');
  }
  state.tool = tool;
};
