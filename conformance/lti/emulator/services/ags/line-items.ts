import type { EmulatorContext } from '../../context.js';
import { MEDIA_TYPE, SCOPE } from '../../vocabulary.js';
import { authorizeBearer } from '../authorize-bearer.js';
import { negotiate, requireContentType } from '../media-types.js';
import { pageOf } from '../paging.js';
import { ServiceError } from '../service-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-request.js';
import { findLineItem, lineItemJson, requireContext } from './line-item-json.js';
import { validateLineItem } from './validate-line-item.js';

const READ = [SCOPE.lineItem, SCOPE.lineItemReadOnly];
const WRITE = [SCOPE.lineItem];

/** AGS §3.2 line item container: GET (filters resource_link_id, resource_id, tag; paged) and POST (create). */
export function lineItemContainer(ctx: EmulatorContext, contextId: string, req: ServiceRequest): ServiceResponse {
  switch (req.method) {
    case 'GET': {
      const grant = authorizeBearer(ctx, req.authorization, READ);
      negotiate(req.accept, [MEDIA_TYPE.lineItemContainer]);
      requireContext(ctx, contextId);
      const q = req.url.searchParams;
      const items = ctx.lineItems.list(contextId, grant.clientId, {
        resourceLinkId: q.get('resource_link_id') ?? undefined,
        resourceId: q.get('resource_id') ?? undefined,
        tag: q.get('tag') ?? undefined,
      });
      const page = pageOf(items, req.url, ctx.options.defaultPageSize);
      return {
        status: 200,
        headers: { 'Content-Type': MEDIA_TYPE.lineItemContainer, Link: page.links.join(', ') },
        body: page.items.map((i) => lineItemJson(ctx, i)),
      };
    }
    case 'POST': {
      const grant = authorizeBearer(ctx, req.authorization, WRITE);
      requireContentType(req.contentType, MEDIA_TYPE.lineItem);
      requireContext(ctx, contextId);
      const item = ctx.lineItems.create(contextId, grant.clientId, validateLineItem(ctx, contextId, req.body));
      const json = lineItemJson(ctx, item);
      return { status: 201, headers: { 'Content-Type': MEDIA_TYPE.lineItem, Location: json.id as string }, body: json };
    }
    default:
      throw new ServiceError('method_not_allowed', 'the line item container accepts GET and POST', { Allow: 'GET, POST' });
  }
}

/** AGS §3.2: one line item — GET, PUT (full replacement, id immutable), DELETE. */
export function lineItemResource(ctx: EmulatorContext, contextId: string, lineItemId: string, req: ServiceRequest): ServiceResponse {
  switch (req.method) {
    case 'GET': {
      const item = findLineItem(ctx, authorizeBearer(ctx, req.authorization, READ), contextId, lineItemId);
      negotiate(req.accept, [MEDIA_TYPE.lineItem]);
      return { status: 200, headers: { 'Content-Type': MEDIA_TYPE.lineItem }, body: lineItemJson(ctx, item) };
    }
    case 'PUT': {
      const item = findLineItem(ctx, authorizeBearer(ctx, req.authorization, WRITE), contextId, lineItemId);
      requireContentType(req.contentType, MEDIA_TYPE.lineItem);
      const id = (req.body as Record<string, unknown> | null)?.id;
      if (id !== undefined && id !== ctx.endpoints.lineItem(contextId, item.id)) throw new ServiceError('invalid_request', 'line item: id cannot change');
      const updated = ctx.lineItems.replace(item.id, validateLineItem(ctx, contextId, req.body));
      return { status: 200, headers: { 'Content-Type': MEDIA_TYPE.lineItem }, body: lineItemJson(ctx, updated ?? item) };
    }
    case 'DELETE': {
      const item = findLineItem(ctx, authorizeBearer(ctx, req.authorization, WRITE), contextId, lineItemId);
      ctx.lineItems.delete(item.id);
      return { status: 204, headers: {} };
    }
    default:
      throw new ServiceError('method_not_allowed', 'a line item accepts GET, PUT and DELETE', { Allow: 'GET, PUT, DELETE' });
  }
}
