import { ALL_SCOPES } from '../vocabulary.js';
import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck } from './registration-request.js';

/** DR §3.1: `scope` lists the service scopes the tool wants, each one the platform supports (it is advertised in scopes_supported). */
export const checkScope: RegistrationCheck = (_ctx, state) => {
  const scope = state.metadata?.scope;
  if (scope === undefined) return;
  if (typeof scope !== 'string') throw new RegistrationError('invalid_client_metadata', 'scope must be a space-separated string', 'scope');
  const unknown = scope.split(' ').filter((s) => s && !ALL_SCOPES.includes(s));
  if (unknown.length > 0) throw new RegistrationError('invalid_client_metadata', `unsupported scope(s): ${unknown.join(' ')}`, 'scope');
};
