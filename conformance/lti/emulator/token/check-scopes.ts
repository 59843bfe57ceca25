import { ALL_SCOPES } from '../vocabulary.js';
import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/**
 * RFC 6749 §3.3: each requested scope is an LTI Advantage scope the platform granted this tool
 * (Moodle intersects and refuses the rest). No scope requested: every scope the tool holds.
 */
export const checkScopes: TokenCheck = (_ctx, state) => {
  const granted = state.tool?.scopes ?? [];
  const raw = state.request.form.scope;
  const requested = raw === undefined ? [...granted] : raw.split(' ').filter(Boolean);
  if (requested.length === 0) throw new OAuthError('invalid_scope', 'no scope requested, and the tool holds none', 'scope');
  const unknown = requested.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope(s): ${unknown.join(' ')}`, 'scope');
  const refused = requested.filter((s) => !granted.includes(s));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `scope(s) not granted to this tool: ${refused.join(' ')}`, 'scope');
  state.scopes = [...new Set(requested)];
};
