import { AuthError } from './auth-error.js';
import type { AuthCheck } from './auth-request.js';

/**
 * CORE §4.1.1: the tool echoes lti_message_hint unchanged. The emulator sends the launch id in it, so
 * the hint must name a live launch begun for this very client.
 */
export const checkLaunch: AuthCheck = (ctx, state) => {
  const hint = state.params.lti_message_hint;
  if (!hint) throw new AuthError('invalid_request', 'lti_message_hint is missing: the tool must echo the one the platform sent', 'launch');
  const launch = ctx.launches.find(hint);
  if (!launch) throw new AuthError('invalid_request', 'lti_message_hint names no live launch (unknown or expired)', 'launch');
  if (launch.clientId !== state.tool?.clientId) throw new AuthError('invalid_request', 'lti_message_hint belongs to a launch of another client', 'launch');
  state.launch = launch;
};
