import type { EmulatorContext } from '../../context.js';
import { ServiceError } from '../service-error.js';
import type { LineItemFields } from './line-item-store.js';

/**
 * AGS §3.2 (shared/standards/lti.md §8.3): label and scoreMaximum > 0 are required; resourceLinkId,
 * if given, names a resource link of this context; dates are ISO 8601; the rest have their types.
 */
export function validateLineItem(ctx: EmulatorContext, contextId: string, body: unknown): LineItemFields {
  const fail = (reason: string) => new ServiceError('invalid_request', `line item: ${reason}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.label !== 'string' || b.label.trim() === '') throw fail('label is required');
  if (typeof b.scoreMaximum !== 'number' || !(b.scoreMaximum > 0)) throw fail('scoreMaximum must be a number > 0');
  for (const field of ['resourceLinkId', 'resourceId', 'tag'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'string') throw fail(`${field} must be a string`);
  }
  if (b.resourceLinkId !== undefined && ctx.directory.resourceLink(b.resourceLinkId as string)?.contextId !== contextId) {
    throw fail(`resourceLinkId ${b.resourceLinkId} is not a resource link of this context`);
  }
  for (const field of ['startDateTime', 'endDateTime'] as const) {
    if (b[field] !== undefined && !isIsoDateTime(b[field])) throw fail(`${field} must be an ISO 8601 date-time`);
  }
  if (b.gradesReleased !== undefined && typeof b.gradesReleased !== 'boolean') throw fail('gradesReleased must be a boolean');
  const fields: LineItemFields = { label: b.label, scoreMaximum: b.scoreMaximum };
  for (const field of ['resourceLinkId', 'resourceId', 'tag', 'startDateTime', 'endDateTime'] as const) {
    if (typeof b[field] === 'string') fields[field] = b[field] as string;
  }
  if (typeof b.gradesReleased === 'boolean') fields.gradesReleased = b.gradesReleased;
  return fields;
}

export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}
