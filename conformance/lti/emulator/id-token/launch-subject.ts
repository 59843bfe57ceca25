import type { EmulatorContext } from '../context.js';
import type { EmulatedContext, EmulatedResourceLink, EmulatedUser } from '../state/directory.js';
import type { PendingLaunch } from '../state/launches.js';
import type { ToolRegistration } from '../state/tool-registry.js';

/** Everything an id_token is about, resolved from the launch once. */
export interface LaunchSubject {
  launch: PendingLaunch;
  tool: ToolRegistration;
  user: EmulatedUser;
  context?: EmulatedContext;
  resourceLink?: EmulatedResourceLink;
  forUser?: EmulatedUser;
}

export function resolveLaunchSubject(ctx: EmulatorContext, launch: PendingLaunch): LaunchSubject {
  const tool = ctx.tools.get(launch.clientId);
  if (!tool) throw new Error(`launch ${launch.id}: the tool ${launch.clientId} is no longer registered`);
  const user = ctx.directory.user(launch.userId);
  if (!user) throw new Error(`launch ${launch.id}: unknown user ${launch.userId}`);
  const context = launch.contextId === undefined ? undefined : ctx.directory.context(launch.contextId);
  const resourceLink = launch.resourceLinkId === undefined ? undefined : ctx.directory.resourceLink(launch.resourceLinkId);
  const forUser = launch.forUserId === undefined ? undefined : ctx.directory.user(launch.forUserId);
  return { launch, tool, user, context, resourceLink, forUser };
}
