import type { EmulatorContext } from '../context.js';
import { issueIdToken } from '../id-token/issue-id-token.js';
import type { DeepLinkingOptions, PendingLaunch } from '../state/launches.js';
import type { ToolRegistration } from '../state/tool-registry.js';
import { CONTENT_ITEM_TYPES, isMessageType, type MessageType } from '../vocabulary.js';
import { loginInitiationParams, loginInitiationUrl } from './login-initiation.js';

/** What a test or a person asks for when launching a tool. Only the tool is required. */
export interface LaunchInput {
  /** The tool (client_id). */
  clientId: string;
  /** Who launches (a directory user id). Default: "instructor" if present, else the first user. */
  userId?: string;
  /** Default LtiResourceLinkRequest. */
  messageType?: MessageType;
  /** Default: the tool's first deployment. Must be one of the tool's deployments (use the unknown-deployment tamper to send another). */
  deploymentId?: string;
  /** Default: the first context the user belongs to. `null`: a launch without context. */
  contextId?: string | null;
  /** Resource link and submission review launches. Default: the first link of the context for this tool, else the context's first link. */
  resourceLinkId?: string;
  /** Default: the message's own URL from the registration, else the link's URL, else the tool's target_link_uri. */
  targetLinkUri?: string;
  /** Custom parameters for this launch (merged over the tool's; substitution variables allowed). */
  custom?: Record<string, string>;
  /** Deep Linking settings (defaults: every item type, iframe + window, multiple, line items, auto-create). */
  deepLinking?: Partial<DeepLinkingOptions>;
  /** Submission review: the learner (default: the context's first learner) and the line item (required). */
  forUserId?: string;
  lineItemId?: string;
  /** `aud` as a string (default) or `[client_id]` with `azp`. */
  audience?: 'string' | 'array';
  documentTarget?: 'iframe' | 'window' | 'embed';
  /** Tamper ids from conformance/lti/tamper-cases.json, applied in order. */
  tamper?: string[];
  /** Claims merged into the id_token (before tampering). */
  extraClaims?: Record<string, unknown>;
}

/** A started launch: send the browser to `loginUrl` (or POST `loginParams` to `initiateLoginUri`). */
export interface LaunchTicket {
  id: string;
  launch: PendingLaunch;
  initiateLoginUri: string;
  loginParams: Record<string, string>;
  loginUrl: string;
}

const DEFAULT_DEEP_LINKING: DeepLinkingOptions = {
  acceptTypes: [...CONTENT_ITEM_TYPES],
  acceptPresentationDocumentTargets: ['iframe', 'window'],
  acceptMultiple: true,
  acceptLineItem: true,
  autoCreate: true,
};

export async function createLaunch(ctx: EmulatorContext, input: LaunchInput): Promise<LaunchTicket> {
  const tool = ctx.tools.get(input.clientId);
  if (!tool) throw new Error(`unknown tool (client_id) ${input.clientId}`);
  const messageType = input.messageType ?? 'LtiResourceLinkRequest';
  if (!isMessageType(messageType)) throw new Error(`unknown message type ${messageType}`);
  const userId = input.userId ?? (ctx.directory.user('instructor') ? 'instructor' : ctx.directory.listUsers()[0]?.id);
  if (!userId || !ctx.directory.user(userId)) throw new Error(`unknown user ${userId}`);
  const deploymentId = input.deploymentId ?? (tool.deployments[0] as string);
  if (!tool.deployments.includes(deploymentId))
    throw new Error(`${deploymentId} is not a deployment of ${tool.clientId} (the unknown-deployment tamper sends one)`);
  const contextId = pickContext(ctx, input, userId);
  const needsLink = messageType !== 'LtiDeepLinkingRequest';
  const resourceLinkId = needsLink ? pickResourceLink(ctx, input, tool, contextId) : undefined;
  for (const id of input.tamper ?? []) ctx.tampers.get(id);

  const launch = ctx.launches.open({
    clientId: tool.clientId,
    deploymentId,
    userId,
    messageType,
    contextId: contextId ?? undefined,
    resourceLinkId,
    targetLinkUri: input.targetLinkUri ?? targetFor(ctx, tool, messageType, resourceLinkId),
    custom: input.custom ?? {},
    deepLinking: messageType === 'LtiDeepLinkingRequest' ? { ...DEFAULT_DEEP_LINKING, ...input.deepLinking } : undefined,
    ...(messageType === 'LtiSubmissionReviewRequest' ? submissionReview(ctx, input, tool, contextId) : {}),
    audience: input.audience ?? 'string',
    documentTarget: input.documentTarget ?? 'iframe',
    tamper: input.tamper ?? [],
    extraClaims: input.extraClaims ?? {},
  });
  // Build the id_token once now, so a launch that cannot be made (e.g. a tamper that does not apply) fails here, not in a browser.
  await issueIdToken(ctx, launch, 'dry-run', 'dry-run', { record: false });
  const loginParams = loginInitiationParams(ctx, launch);
  return { id: launch.id, launch, initiateLoginUri: tool.initiateLoginUri, loginParams, loginUrl: loginInitiationUrl(tool, loginParams) };
}

function pickContext(ctx: EmulatorContext, input: LaunchInput, userId: string): string | null {
  if (input.contextId === null) return null;
  if (input.contextId !== undefined) {
    if (!ctx.directory.context(input.contextId)) throw new Error(`unknown context ${input.contextId}`);
    return input.contextId;
  }
  const mine = ctx.directory.listContexts().find((c) => c.members.includes(userId));
  return mine?.id ?? null;
}

function pickResourceLink(ctx: EmulatorContext, input: LaunchInput, tool: ToolRegistration, contextId: string | null): string {
  if (input.resourceLinkId !== undefined) {
    if (!ctx.directory.resourceLink(input.resourceLinkId)) throw new Error(`unknown resource link ${input.resourceLinkId}`);
    return input.resourceLinkId;
  }
  const links = ctx.directory.listResourceLinks(contextId ?? undefined);
  const link = links.find((l) => l.clientId === tool.clientId) ?? links.find((l) => l.clientId === undefined);
  if (!link) throw new Error(`no resource link to launch${contextId ? ` in ${contextId}` : ''}; pass resourceLinkId or add one to the directory`);
  return link.id;
}

function targetFor(ctx: EmulatorContext, tool: ToolRegistration, type: MessageType, resourceLinkId: string | undefined): string {
  const link = resourceLinkId ? ctx.directory.resourceLink(resourceLinkId) : undefined;
  return tool.messages.find((m) => m.type === type)?.targetLinkUri ?? link?.url ?? tool.targetLinkUri;
}

function submissionReview(
  ctx: EmulatorContext,
  input: LaunchInput,
  tool: ToolRegistration,
  contextId: string | null,
): Pick<PendingLaunch, 'forUserId' | 'lineItemId'> {
  if (!input.lineItemId) throw new Error('a submission review launch needs lineItemId');
  const lineItem = ctx.lineItems.get(input.lineItemId);
  if (!lineItem || lineItem.clientId !== tool.clientId) throw new Error(`line item ${input.lineItemId} is not one of ${tool.clientId}'s`);
  if (contextId !== lineItem.contextId) throw new Error(`line item ${input.lineItemId} belongs to context ${lineItem.contextId}`);
  const context = ctx.directory.context(lineItem.contextId);
  const forUserId =
    input.forUserId ?? context?.members.find((m) => ctx.directory.user(m)?.roles.some((r) => r.endsWith('membership#Learner') || r === 'Learner'));
  if (!forUserId || !ctx.directory.user(forUserId)) throw new Error('a submission review launch needs forUserId (no learner found in the context)');
  return { forUserId, lineItemId: lineItem.id };
}
