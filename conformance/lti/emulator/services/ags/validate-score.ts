import type { EmulatorContext } from '../../context.js';
import { vocabulary } from '../../vocabulary.js';
import { ServiceError } from '../service-error.js';
import type { LineItem, StoredScore } from './line-item-store.js';
import { isIsoDateTime } from './validate-line-item.js';

/**
 * AGS §3.4 (shared/standards/lti.md §8.4): userId (a member of the line item's context), an ISO 8601
 * timestamp, activityProgress and gradingProgress from their vocabularies; scoreGiven ≥ 0 needs
 * scoreMaximum > 0. A malformed score is refused with 400 and the reason.
 */
export function validateScore(ctx: EmulatorContext, item: LineItem, body: unknown): StoredScore {
  const fail = (reason: string) => new ServiceError('invalid_request', `score: ${reason}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.userId !== 'string' || b.userId === '') throw fail('userId is required');
  if (!ctx.directory.context(item.contextId)?.members.includes(b.userId)) throw fail(`userId ${b.userId} is not a member of the context`);
  if (!isIsoDateTime(b.timestamp)) throw fail('timestamp must be an ISO 8601 date-time');
  if (typeof b.activityProgress !== 'string' || !vocabulary.ags.activityProgress.includes(b.activityProgress)) {
    throw fail(`activityProgress must be one of ${vocabulary.ags.activityProgress.join(', ')}`);
  }
  if (typeof b.gradingProgress !== 'string' || !vocabulary.ags.gradingProgress.includes(b.gradingProgress)) {
    throw fail(`gradingProgress must be one of ${vocabulary.ags.gradingProgress.join(', ')}`);
  }
  if (b.scoreGiven !== undefined) {
    if (typeof b.scoreGiven !== 'number' || !(b.scoreGiven >= 0)) throw fail('scoreGiven must be a number ≥ 0');
    if (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0)) throw fail('scoreGiven needs scoreMaximum, a number > 0');
  } else if (b.scoreMaximum !== undefined && (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0))) {
    throw fail('scoreMaximum must be a number > 0');
  }
  for (const field of ['comment', 'scoringUserId'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'string') throw fail(`${field} must be a string`);
  }
  if (b.submission !== undefined && (typeof b.submission !== 'object' || b.submission === null)) throw fail('submission must be an object');
  return {
    userId: b.userId,
    timestamp: b.timestamp,
    activityProgress: b.activityProgress,
    gradingProgress: b.gradingProgress,
    ...(typeof b.scoreGiven === 'number' ? { scoreGiven: b.scoreGiven } : {}),
    ...(typeof b.scoreMaximum === 'number' ? { scoreMaximum: b.scoreMaximum } : {}),
    ...(typeof b.comment === 'string' ? { comment: b.comment } : {}),
    ...(typeof b.scoringUserId === 'string' ? { scoringUserId: b.scoringUserId } : {}),
    ...(b.submission ? { submission: b.submission as StoredScore['submission'] } : {}),
  };
}
