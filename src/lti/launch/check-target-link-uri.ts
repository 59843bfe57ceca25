import { claimOf } from '../claims.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { isToolUrl } from '../target-link.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 17 — target_link_uri (fact sheet §3 #17, §14.9): the launch goes where the *signed* claim
 * says, never where the login parameter said, and only to one of the tool's own URLs. Deep Linking
 * requests may omit it (§14.10).
 */
export function checkTargetLinkUri(ctx: LaunchContext, deps: LaunchDeps): void {
  const target = claimOf(need(ctx.token, 'the decoded id_token').claims, 'targetLinkUri');
  if (target === undefined) {
    ctx.targetLinkUri = null;
    return;
  }
  if (typeof target !== 'string' || !isToolUrl(target, deps.baseUrl)) {
    throw new LtiError('target-link-uri-not-allowed', `target_link_uri ${JSON.stringify(target).slice(0, 200)} is not under ${deps.baseUrl}`);
  }
  ctx.targetLinkUri = target;
}
