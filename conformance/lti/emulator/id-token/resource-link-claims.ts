import type { EmulatorContext } from '../context.js';
import { CLAIM } from '../vocabulary.js';
import type { Claims } from './common-claims.js';
import type { LaunchSubject } from './launch-subject.js';
import { serviceClaims } from './service-claims.js';

/** LtiResourceLinkRequest (CORE §5.3.5, §5.3.4): resource_link with its id, target_link_uri, and the Advantage service claims. */
export function resourceLinkClaims(ctx: EmulatorContext, subject: LaunchSubject): Claims {
  const link = subject.resourceLink;
  if (!link) throw new Error(`launch ${subject.launch.id}: a resource link launch needs a resource link`);
  return {
    [CLAIM.resourceLink]: {
      id: link.id,
      ...(link.title !== undefined ? { title: link.title } : {}),
      ...(link.description !== undefined ? { description: link.description } : {}),
    },
    [CLAIM.targetLinkUri]: subject.launch.targetLinkUri,
    ...serviceClaims(ctx, subject),
  };
}
