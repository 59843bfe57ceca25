import type { EmulatorContext } from '../context.js';
import { CLAIM } from '../vocabulary.js';
import type { Claims } from './common-claims.js';
import type { LaunchSubject } from './launch-subject.js';
import { serviceClaims } from './service-claims.js';

/**
 * LtiSubmissionReviewRequest (AGS §6): the resource link, `for_user` (whose submission is reviewed)
 * and the AGS endpoint claim with the reviewed `lineitem`.
 */
export function submissionReviewClaims(ctx: EmulatorContext, subject: LaunchSubject): Claims {
  const { launch, resourceLink, forUser } = subject;
  if (!resourceLink || !forUser || !launch.lineItemId) {
    throw new Error(`launch ${launch.id}: a submission review needs a resource link, a for-user and a line item`);
  }
  const services = serviceClaims(ctx, subject, launch.lineItemId);
  if (!services[CLAIM.agsEndpoint]) throw new Error(`launch ${launch.id}: a submission review needs the tool to hold an AGS scope and a context`);
  return {
    [CLAIM.resourceLink]: { id: resourceLink.id, ...(resourceLink.title !== undefined ? { title: resourceLink.title } : {}) },
    [CLAIM.targetLinkUri]: launch.targetLinkUri,
    [CLAIM.forUser]: {
      user_id: forUser.id,
      ...(forUser.sourcedId ? { person_sourcedid: forUser.sourcedId } : {}),
      ...(forUser.givenName !== undefined ? { given_name: forUser.givenName } : {}),
      ...(forUser.familyName !== undefined ? { family_name: forUser.familyName } : {}),
      ...(forUser.name !== undefined ? { name: forUser.name } : {}),
      ...(forUser.email !== undefined ? { email: forUser.email } : {}),
      roles: [...forUser.roles],
    },
    ...services,
  };
}
