import type { EmulatorContext } from '../../context.js';
import type { AccessGrant } from '../../token/access-tokens.js';
import { ServiceError } from '../service-error.js';
import type { LineItem } from './line-item-store.js';

/** AGS §3.2: a line item as JSON, its `id` being its URL. */
export function lineItemJson(ctx: EmulatorContext, item: LineItem): Record<string, unknown> {
  const { id, contextId, clientId: _owner, ...fields } = item;
  return { id: ctx.endpoints.lineItem(contextId, id), ...fields };
}

/** The line item addressed by the URL, if it is in this context and belongs to the calling tool (404 otherwise, never 403: no probing). */
export function findLineItem(ctx: EmulatorContext, grant: AccessGrant, contextId: string, lineItemId: string): LineItem {
  const item = ctx.lineItems.get(lineItemId);
  if (!item || item.contextId !== contextId || item.clientId !== grant.clientId)
    throw new ServiceError('not_found', `no line item ${lineItemId} in ${contextId}`);
  return item;
}

export function requireContext(ctx: EmulatorContext, contextId: string): void {
  if (!ctx.directory.context(contextId)) throw new ServiceError('not_found', `no context ${contextId}`);
}
