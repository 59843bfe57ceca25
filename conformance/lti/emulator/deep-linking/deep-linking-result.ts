/** A Deep Linking response the platform accepted (DL §4.5), and what it created from it. */
export interface DeepLinkingResult {
  launchId: string;
  clientId: string;
  deploymentId: string;
  receivedAt: number;
  contentItems: Record<string, unknown>[];
  msg?: string;
  log?: string;
  errormsg?: string;
  errorlog?: string;
  /** Resource links created from ltiResourceLink items, and line items created from their lineItem. */
  createdResourceLinks: string[];
  createdLineItems: string[];
}

/** Why a Deep Linking response was refused: the check, and a description safe to show. */
export class DeepLinkingError extends Error {
  override readonly name = 'DeepLinkingError';
  constructor(
    readonly check: string,
    readonly description: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(`${check}: ${description}`);
  }
}
