import type { DeepLinkingOptions } from '../state/launches.js';
import { type ContentItemType, vocabulary } from '../vocabulary.js';
import { DeepLinkingError } from './deep-linking-result.js';

/**
 * DL §3 / §4.4.1: items are of types the platform accepted, at most one unless accept_multiple, with
 * each type's required fields; a lineItem only when accept_lineitem, with scoreMaximum > 0.
 * Blackboard-like platforms also refuse an ltiResourceLink without `url` (shared/standards/lti.md §13).
 */
export function checkContentItems(items: unknown, settings: DeepLinkingOptions, requireResourceLinkUrl: boolean): Record<string, unknown>[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new DeepLinkingError('content-items', 'content_items must be an array');
  if (items.length > 1 && !settings.acceptMultiple) throw new DeepLinkingError('content-items', 'several items returned, but accept_multiple is false');
  items.forEach((item: Record<string, unknown>, i) => {
    const where = `content_items[${i}]`;
    if (typeof item !== 'object' || item === null) throw new DeepLinkingError('content-items', `${where} is not an object`);
    const type = item.type as ContentItemType;
    if (!settings.acceptTypes.includes(type)) throw new DeepLinkingError('content-items', `${where}: type ${JSON.stringify(type)} was not in accept_types`);
    const required = [
      ...(vocabulary.deepLinking.contentItemRequiredFields[type] ?? []),
      ...(type === 'ltiResourceLink' && requireResourceLinkUrl ? ['url'] : []),
    ];
    for (const field of required) {
      if (typeof item[field] !== 'string' || item[field] === '') throw new DeepLinkingError('content-items', `${where}: ${type} needs ${field}`);
    }
    if (item.lineItem !== undefined) {
      if (!settings.acceptLineItem) throw new DeepLinkingError('content-items', `${where}: a lineItem was returned, but accept_lineitem is false`);
      const max = (item.lineItem as Record<string, unknown>)?.scoreMaximum;
      if (typeof max !== 'number' || !(max > 0)) throw new DeepLinkingError('content-items', `${where}: lineItem.scoreMaximum must be a number > 0`);
    }
  });
  return items as Record<string, unknown>[];
}
