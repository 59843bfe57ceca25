import { claimOf, ID_MAX_LENGTH } from '../claims.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { isDeploymentKnown } from '../registrations/deployments.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 13 — deployment (fact sheet §3 #13, §14.7; cert "deployment_id Claim Missing"): present, a
 * string of at most 255 characters, equal to the lti_deployment_id the login announced (if it did),
 * and registered for this registration — or accepted by its explicit auto-register policy.
 */
export async function checkDeployment(ctx: LaunchContext, deps: LaunchDeps): Promise<void> {
  const id = claimOf(need(ctx.token, 'the decoded id_token').claims, 'deploymentId');
  const registration = need(ctx.registration, 'the registration');
  const login = need(ctx.login, 'the login state');
  if (id === undefined) throw new LtiError('deployment-id-missing', 'the deployment_id claim is absent');
  if (typeof id !== 'string' || id === '' || id.length > ID_MAX_LENGTH) {
    throw new LtiError('deployment-id-invalid', `deployment_id must be a string of 1–${ID_MAX_LENGTH} characters`);
  }
  if (login.ltiDeploymentId !== null && login.ltiDeploymentId !== id) {
    throw new LtiError('deployment-id-mismatch', `deployment_id ${id.slice(0, 100)} differs from lti_deployment_id ${login.ltiDeploymentId} of the login`);
  }
  ctx.deploymentId = id;
  ctx.autoRegisterDeployment = false;
  if (await isDeploymentKnown(deps.db, registration.id, id)) return;
  if (!registration.autoRegisterDeployments) throw new LtiError('deployment-unknown', `deployment ${id.slice(0, 100)} is not registered for this platform`);
  ctx.autoRegisterDeployment = true;
}
