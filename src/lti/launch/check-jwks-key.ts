import { need } from '../pipeline.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 6 — the platform's key (fact sheet §3 #6; cert "Incorrect KID passed in JWT Header"): the kid
 * in the registration's cached key set, refetched once on an unknown kid (src/lti/keys/platform-key-sets.ts).
 */
export async function checkJwksKey(ctx: LaunchContext, deps: LaunchDeps): Promise<void> {
  const registration = need(ctx.registration, 'the registration');
  ctx.key = await deps.keySets.keyFor(registration.jwksUrl, need(ctx.kid, 'the kid'));
}
