import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { checkAlgorithm } from './check-algorithm.js';
import { checkAudience } from './check-audience.js';
import { checkDeployment } from './check-deployment.js';
import { checkFormat } from './check-format.js';
import { checkJwksKey } from './check-jwks-key.js';
import { checkKid } from './check-kid.js';
import { checkMessageClaims } from './check-message-claims.js';
import { checkMessageType } from './check-message-type.js';
import { checkNonce } from './check-nonce.js';
import { checkRegistration } from './check-registration.js';
import { checkRoles } from './check-roles.js';
import { checkSignature } from './check-signature.js';
import { checkState } from './check-state.js';
import { checkSubject } from './check-subject.js';
import { checkTargetLinkUri } from './check-target-link-uri.js';
import { checkTimestamps } from './check-timestamps.js';
import { checkVersion } from './check-version.js';
import type { BrowserStateCheck, LaunchContext, LaunchDeps, LaunchInput, ValidLaunch } from './launch-context.js';

interface LaunchStep {
  /** The check's name: what a failure's log line and error page name (LTI_ERRORS[code].check). */
  check: string;
  section: string;
  run(ctx: LaunchContext, deps: LaunchDeps): Promise<BrowserStateCheck | undefined> | Promise<void> | void;
}

/**
 * The launch endpoint's checks, in the order of the fact sheet's checklist (§3, after PB's
 * LtiMessageLaunch and SEC §5.1.3): state → format → algorithm → kid → registration → key →
 * signature → audience → timestamps → nonce → version → message type → deployment → roles → sub →
 * message claims → target. Each check is one module; each failure is an LtiError naming its check.
 * Check 18 (replay bookkeeping and binding the session) is src/lti/session/record-launch.ts.
 */
export const LAUNCH_STEPS: readonly LaunchStep[] = [
  { check: 'state', section: 'SEC §5.1.1.5; #1', run: checkState },
  { check: 'format', section: '#2', run: checkFormat },
  { check: 'algorithm', section: 'SEC §5.1.3 item 6; #3', run: checkAlgorithm },
  { check: 'kid', section: '#4', run: checkKid },
  { check: 'registration', section: '#5', run: checkRegistration },
  { check: 'jwks-key', section: 'SEC Key Set URL; #6', run: checkJwksKey },
  { check: 'signature', section: 'SEC §5.1.3 item 1; #7', run: checkSignature },
  { check: 'audience', section: 'SEC §5.1.3 items 3–5; #8', run: checkAudience },
  { check: 'timestamps', section: 'SEC §5.1.3 items 7–8; #9', run: checkTimestamps },
  { check: 'nonce', section: 'SEC §5.1.3 item 9; #10', run: checkNonce },
  { check: 'version', section: 'CORE §5.3.3; #11', run: checkVersion },
  { check: 'message-type', section: 'CORE §5.3.1; #12', run: checkMessageType },
  { check: 'deployment', section: 'CORE §5.3.3; #13', run: checkDeployment },
  { check: 'roles', section: 'CORE §5.3.7; #14', run: checkRoles },
  { check: 'subject', section: 'CORE §5.3.6; #15', run: checkSubject },
  { check: 'message-claims', section: 'CORE §5.3–5.4, DL §4.4, AGS §6; #16', run: checkMessageClaims },
  { check: 'target-link-uri', section: 'CORE §5.3.4; #17', run: checkTargetLinkUri },
];

export type LaunchCheckResult = { kind: 'valid'; launch: ValidLaunch } | { kind: 'verify-in-browser'; check: BrowserStateCheck };

export async function runLaunchChecks(deps: LaunchDeps, input: LaunchInput): Promise<LaunchCheckResult> {
  const ctx: LaunchContext = { input };
  for (const step of LAUNCH_STEPS) {
    try {
      const stop = await step.run(ctx, deps);
      if (stop) return { kind: 'verify-in-browser', check: stop };
    } catch (err) {
      if (err instanceof LtiError && ctx.registration) {
        err.context.platformId ??= ctx.registration.id;
        err.context.tenantId ??= ctx.registration.tenantId;
      }
      throw err;
    }
  }
  return {
    kind: 'valid',
    launch: {
      state: need(ctx.state, 'the state'),
      registration: need(ctx.registration, 'the registration'),
      claims: need(ctx.token, 'the decoded id_token').claims,
      messageType: need(ctx.messageType, 'the message type'),
      deploymentId: need(ctx.deploymentId, 'the deployment id'),
      autoRegisterDeployment: ctx.autoRegisterDeployment ?? false,
      roles: need(ctx.roles, 'the roles'),
      sub: need(ctx.sub, 'the subject'),
      targetLinkUri: ctx.targetLinkUri ?? null,
    },
  };
}
