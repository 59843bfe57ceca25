import { claimOf, LTI_VERSION } from '../claims.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/** Check 11 — version (fact sheet §3 #11; cert "LTI version passed is not 1.3", "No LTI Version Passed"). */
export function checkVersion(ctx: LaunchContext): void {
  const version = claimOf(need(ctx.token, 'the decoded id_token').claims, 'version');
  if (version === undefined) throw new LtiError('version-missing', 'the version claim is absent');
  if (version !== LTI_VERSION) throw new LtiError('version-unsupported', `version ${JSON.stringify(version).slice(0, 50)} is not ${LTI_VERSION}`);
}
