import { readLtiStandard } from '../standard-file.js';

/**
 * The LTI Advantage service vocabulary the tool-side clients speak (fact sheet §7–§9). Scopes come
 * from standards/lti/scopes.json (shared with the platform emulator). The media types and enums below
 * are also in the emulator's standards/lti/emulator-vocabulary.json; they belong in a shared
 * standards/lti file read by both, which is outside this module's remit (see the services report).
 */
type ScopeName = 'lineItem' | 'lineItemReadOnly' | 'resultReadOnly' | 'score' | 'contextMembershipReadOnly';

export const SCOPE: Readonly<Record<ScopeName, string>> = Object.fromEntries(
  readLtiStandard<{ scopes: { name: ScopeName; scope: string }[] }>('scopes.json').scopes.map((s) => [s.name, s.scope]),
) as Record<ScopeName, string>;

/** AGS §3.2–3.4 (fact sheet §8.1) and NRPS §2 (fact sheet §9): the media type of each resource. */
export const MEDIA_TYPE = {
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
  /** What older Canvas and Moodle answer NRPS with (fact sheet §9): accepted as well. */
  legacyMembershipContainer: 'application/vnd.ims.lis.v2.membershipcontainer+json',
} as const;

/** AGS §3.4 (fact sheet §8.4). */
export const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
export const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;
export type ActivityProgress = (typeof ACTIVITY_PROGRESS)[number];
export type GradingProgress = (typeof GRADING_PROGRESS)[number];

/** NRPS §2.2: a member's status; absent means Active, Deleted appears only in differences. */
export const MEMBER_STATUS = ['Active', 'Inactive', 'Deleted'] as const;
export type MemberStatus = (typeof MEMBER_STATUS)[number];

/** RFC 7523 §2.2, SEC §4.1. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
