import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/** Check 4 — kid (fact sheet §3 #4; cert "Correct KID Required in Header"): the header names the signing key. */
export function checkKid(ctx: LaunchContext): void {
  const kid = need(ctx.token, 'the decoded id_token').header.kid;
  if (typeof kid !== 'string' || kid === '' || kid.length > 255) throw new LtiError('kid-missing', 'the id_token header has no usable kid');
  ctx.kid = kid;
}
