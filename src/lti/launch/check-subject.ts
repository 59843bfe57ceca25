import { ID_MAX_LENGTH } from '../claims.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 15 — sub (fact sheet §3 #15; cert "user Claim Missing"): an empty sub is refused. An absent
 * sub is an anonymous launch (CORE §5.3.6), accepted only when configured (ltiAllowAnonymousLaunches).
 */
export function checkSubject(ctx: LaunchContext, deps: LaunchDeps): void {
  const claims = need(ctx.token, 'the decoded id_token').claims;
  if (!Object.hasOwn(claims, 'sub')) {
    if (!deps.allowAnonymousLaunches) throw new LtiError('sub-missing', 'the id_token has no sub and anonymous launches are not enabled');
    ctx.sub = null;
    return;
  }
  const sub = claims.sub;
  if (sub === '') throw new LtiError('sub-empty', 'sub is an empty string');
  if (typeof sub !== 'string' || sub.length > ID_MAX_LENGTH) throw new LtiError('sub-invalid', `sub must be a string of 1–${ID_MAX_LENGTH} characters`);
  ctx.sub = sub;
}
