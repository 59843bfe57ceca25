import type { EmulatorContext } from '../../context.js';
import { MEDIA_TYPE, SCOPE } from '../../vocabulary.js';
import { authorizeBearer } from '../authorize-bearer.js';
import { requireContentType } from '../media-types.js';
import { ServiceError } from '../service-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-request.js';
import { findLineItem } from './line-item-json.js';
import { validateScore } from './validate-score.js';

/** AGS §3.4: POST {lineitem}/scores. 204 when applied; 409 when older than the score already applied for that user. */
export function postScore(ctx: EmulatorContext, contextId: string, lineItemId: string, req: ServiceRequest): ServiceResponse {
  if (req.method !== 'POST') throw new ServiceError('method_not_allowed', 'scores accept POST only', { Allow: 'POST' });
  const item = findLineItem(ctx, authorizeBearer(ctx, req.authorization, [SCOPE.score]), contextId, lineItemId);
  requireContentType(req.contentType, MEDIA_TYPE.score);
  const score = validateScore(ctx, item, req.body);
  if (ctx.lineItems.putScore(item.id, score) === 'stale') {
    throw new ServiceError('stale_score', `score: timestamp ${score.timestamp} is older than the score already applied for ${score.userId}`);
  }
  return { status: 204, headers: {} };
}
