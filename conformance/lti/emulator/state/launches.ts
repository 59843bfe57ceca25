import { randomBytes } from 'node:crypto';
import type { MessageType } from '../vocabulary.js';

/** Deep Linking settings the platform offers (DL §4.4.1; shared/standards/lti.md §6.1). */
export interface DeepLinkingOptions {
  acceptTypes: string[];
  acceptPresentationDocumentTargets: string[];
  acceptMediaTypes?: string;
  acceptMultiple: boolean;
  acceptLineItem: boolean;
  autoCreate: boolean;
  title?: string;
  text?: string;
}

/**
 * One launch the platform has started: everything the auth endpoint needs to mint the id_token
 * once the tool's authentication request comes back. Identified by `id`, sent as lti_message_hint.
 */
export interface PendingLaunch {
  id: string;
  clientId: string;
  deploymentId: string;
  userId: string;
  messageType: MessageType;
  contextId?: string;
  resourceLinkId?: string;
  targetLinkUri: string;
  custom: Record<string, string>;
  deepLinking?: DeepLinkingOptions;
  /** Submission review: the learner whose submission is reviewed, and the line item. */
  forUserId?: string;
  lineItemId?: string;
  /** `aud` as a string (default) or an array with `azp` (SEC §5.1.2). */
  audience: 'string' | 'array';
  documentTarget: 'iframe' | 'window' | 'embed';
  tamper: string[];
  /** Extra claims merged into the id_token last (before tampering). */
  extraClaims: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  /** Set once an id_token was issued for it. */
  issued?: { nonce: string; at: number };
}

export class LaunchBook {
  private readonly launches = new Map<string, PendingLaunch>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  open(launch: Omit<PendingLaunch, 'id' | 'createdAt' | 'expiresAt'>): PendingLaunch {
    const at = this.now();
    for (const [id, l] of this.launches) if (l.expiresAt <= at) this.launches.delete(id);
    const opened: PendingLaunch = { ...launch, id: randomBytes(16).toString('base64url'), createdAt: at, expiresAt: at + this.ttlMs };
    this.launches.set(opened.id, opened);
    return opened;
  }

  /** The launch, while it has not expired. A launch can be completed more than once (a browser may retry). */
  find(id: string): PendingLaunch | undefined {
    const launch = this.launches.get(id);
    return launch && launch.expiresAt > this.now() ? launch : undefined;
  }
}
