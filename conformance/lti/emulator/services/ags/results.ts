import type { EmulatorContext } from '../../context.js';
import { MEDIA_TYPE, SCOPE } from '../../vocabulary.js';
import { authorizeBearer } from '../authorize-bearer.js';
import { negotiate } from '../media-types.js';
import { pageOf } from '../paging.js';
import { ServiceError } from '../service-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-request.js';
import { findLineItem } from './line-item-json.js';

/**
 * AGS §3.3: GET {lineitem}/results (filter user_id; paged). resultScore is scoreGiven scaled to the
 * line item's scoreMaximum; a score without scoreGiven has no resultScore.
 */
export function getResults(ctx: EmulatorContext, contextId: string, lineItemId: string, req: ServiceRequest): ServiceResponse {
  if (req.method !== 'GET') throw new ServiceError('method_not_allowed', 'results accept GET only', { Allow: 'GET' });
  const item = findLineItem(ctx, authorizeBearer(ctx, req.authorization, [SCOPE.resultReadOnly]), contextId, lineItemId);
  negotiate(req.accept, [MEDIA_TYPE.resultContainer]);
  const userId = req.url.searchParams.get('user_id');
  const lineItemUrl = ctx.endpoints.lineItem(contextId, item.id);
  const results = ctx.lineItems
    .scoresOf(item.id)
    .filter((s) => userId === null || s.userId === userId)
    .map((s) => {
      const id = new URL(ctx.endpoints.results(contextId, item.id));
      id.searchParams.set('user_id', s.userId);
      return {
        id: id.toString(),
        scoreOf: lineItemUrl,
        userId: s.userId,
        ...(s.scoreGiven !== undefined && s.scoreMaximum
          ? { resultScore: (s.scoreGiven / s.scoreMaximum) * item.scoreMaximum, resultMaximum: item.scoreMaximum }
          : {}),
        ...(s.comment !== undefined ? { comment: s.comment } : {}),
        ...(s.scoringUserId !== undefined ? { scoringUserId: s.scoringUserId } : {}),
      };
    });
  const page = pageOf(results, req.url, ctx.options.defaultPageSize);
  return { status: 200, headers: { 'Content-Type': MEDIA_TYPE.resultContainer, Link: page.links.join(', ') }, body: page.items };
}
