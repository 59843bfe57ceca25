import type { EmulatorContext } from '../context.js';
import { type Claims, commonClaims } from './common-claims.js';
import { deepLinkingClaims } from './deep-linking-claims.js';
import type { LaunchSubject } from './launch-subject.js';
import { resourceLinkClaims } from './resource-link-claims.js';
import { submissionReviewClaims } from './submission-review-claims.js';

/** The id_token payload for a launch: common claims, then the message type's own, then any extra claims the launch asked for. */
export function buildClaims(ctx: EmulatorContext, subject: LaunchSubject, nonce: string): Claims {
  return { ...commonClaims(ctx, subject, nonce), ...messageClaims(ctx, subject), ...subject.launch.extraClaims };
}

function messageClaims(ctx: EmulatorContext, subject: LaunchSubject): Claims {
  const type = subject.launch.messageType;
  switch (type) {
    case 'LtiResourceLinkRequest':
      return resourceLinkClaims(ctx, subject);
    case 'LtiDeepLinkingRequest':
      return deepLinkingClaims(ctx, subject);
    case 'LtiSubmissionReviewRequest':
      return submissionReviewClaims(ctx, subject);
    default: {
      const unknown: never = type;
      throw new Error(`unknown message type ${unknown}`);
    }
  }
}
