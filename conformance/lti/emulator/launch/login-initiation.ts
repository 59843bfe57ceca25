import type { EmulatorContext } from '../context.js';
import type { PendingLaunch } from '../state/launches.js';
import type { ToolRegistration } from '../state/tool-registry.js';

/**
 * Third-party initiated login (SEC §5.1.1.1; CORE §4.1; shared/standards/lti.md §2.1): what the
 * platform sends to the tool's initiate_login_uri to begin a launch. login_hint is the user,
 * lti_message_hint the launch id the auth endpoint will look up.
 */
export function loginInitiationParams(ctx: EmulatorContext, launch: PendingLaunch): Record<string, string> {
  return {
    iss: ctx.endpoints.issuer,
    login_hint: launch.userId,
    target_link_uri: launch.targetLinkUri,
    lti_message_hint: launch.id,
    lti_deployment_id: launch.deploymentId,
    client_id: launch.clientId,
  };
}

/** The GET form of the initiation: the tool's login URL with the parameters merged into its query string. */
export function loginInitiationUrl(tool: ToolRegistration, params: Record<string, string>): string {
  const url = new URL(tool.initiateLoginUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
