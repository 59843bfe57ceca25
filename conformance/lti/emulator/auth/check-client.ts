import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/** The client_id names a registered tool (Moodle: unauthorized_client otherwise). */
export const checkClient: AuthCheck = (ctx, state) => {
  const tool = ctx.tools.get(state.params.client_id ?? '');
  if (!tool) throw new AuthError('unauthorized_client', `unknown client_id "${state.params.client_id}"`, 'client');
  state.tool = tool;
};
