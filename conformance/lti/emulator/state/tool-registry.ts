import { randomBytes } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { MessageType } from '../vocabulary.js';

/** One message the tool accepts, with its own launch URL where it has one (DR `messages[]`). */
export interface ToolMessage {
  type: MessageType;
  targetLinkUri?: string;
  label?: string;
  customParameters?: Record<string, string>;
}

/** What the platform stores about a registered tool (shared/standards/lti.md §1.2, §10.3). */
export interface ToolRegistration {
  clientId: string;
  name: string;
  /** OIDC third-party login initiation URL. */
  initiateLoginUri: string;
  redirectUris: string[];
  /** Default launch URL. */
  targetLinkUri: string;
  /** The tool's key set: a URL (preferred) or keys registered by hand. */
  jwksUri?: string;
  jwks?: JSONWebKeySet;
  deployments: string[];
  /** Service scopes the platform grants this tool (§7.3). */
  scopes: string[];
  messages: ToolMessage[];
  customParameters: Record<string, string>;
  domain?: string;
  registeredBy: 'hand' | 'dynamic-registration';
  /** The Dynamic Registration request as the tool sent it, kept for inspection. */
  registrationRequest?: Record<string, unknown>;
}

export type ToolInput = Omit<
  ToolRegistration,
  'clientId' | 'deployments' | 'scopes' | 'messages' | 'customParameters' | 'registeredBy' | 'name' | 'targetLinkUri'
> &
  Partial<Pick<ToolRegistration, 'clientId' | 'deployments' | 'scopes' | 'messages' | 'customParameters' | 'registeredBy' | 'name' | 'targetLinkUri'>>;

export class ToolRegistry {
  private readonly tools = new Map<string, ToolRegistration>();

  constructor(private readonly defaultScopes: readonly string[]) {}

  /** Registers (or replaces) a tool; allocates a client_id and a deployment when none is given. */
  register(input: ToolInput): ToolRegistration {
    if (!input.initiateLoginUri) throw new Error('a tool needs an initiateLoginUri (its OIDC login initiation URL)');
    if (!input.redirectUris?.length) throw new Error('a tool needs at least one redirect URI');
    if (!input.jwksUri && !input.jwks) throw new Error('a tool needs a jwksUri or registered jwks (for client assertions and Deep Linking responses)');
    for (const url of [input.initiateLoginUri, ...input.redirectUris, ...(input.targetLinkUri ? [input.targetLinkUri] : [])]) new URL(url);
    const tool: ToolRegistration = {
      ...input,
      clientId: input.clientId ?? `tool-${randomBytes(8).toString('hex')}`,
      name: input.name ?? 'LTI tool',
      targetLinkUri: input.targetLinkUri ?? (input.redirectUris[0] as string),
      deployments: input.deployments?.length ? [...input.deployments] : [`deployment-${randomBytes(6).toString('hex')}`],
      scopes: input.scopes ? [...input.scopes] : [...this.defaultScopes],
      messages: input.messages ?? [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }, { type: 'LtiSubmissionReviewRequest' }],
      customParameters: input.customParameters ?? {},
      registeredBy: input.registeredBy ?? 'hand',
    };
    this.tools.set(tool.clientId, tool);
    return tool;
  }

  get(clientId: string): ToolRegistration | undefined {
    return this.tools.get(clientId);
  }

  list(): ToolRegistration[] {
    return [...this.tools.values()];
  }

  remove(clientId: string): boolean {
    return this.tools.delete(clientId);
  }

  /** Adds a deployment (Canvas mints one per course-level install) and returns its id. */
  addDeployment(clientId: string, deploymentId = `deployment-${randomBytes(6).toString('hex')}`): string {
    const tool = this.tools.get(clientId);
    if (!tool) throw new Error(`unknown tool ${clientId}`);
    if (!tool.deployments.includes(deploymentId)) tool.deployments.push(deploymentId);
    return deploymentId;
  }
}
