import { claimOf } from '../claims.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { normaliseRoles } from '../roles.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Check 14 — roles (fact sheet §3 #14, §14.12; cert "role Claim Missing"): the claim must be there
 * and be a list; `[]`, `[""]`, short names and unknown URIs are all valid and normalised, never refused.
 */
export function checkRoles(ctx: LaunchContext): void {
  const roles = claimOf(need(ctx.token, 'the decoded id_token').claims, 'roles');
  if (roles === undefined) throw new LtiError('roles-missing', 'the roles claim is absent');
  if (!Array.isArray(roles)) throw new LtiError('roles-invalid', `the roles claim is a ${typeof roles}, not a list`);
  ctx.roles = normaliseRoles(roles.filter((r): r is string => typeof r === 'string'));
}
