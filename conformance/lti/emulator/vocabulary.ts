import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsDir } from '../../../src/paths.js';

/** The LTI vocabulary the emulator speaks, read once from standards/lti/ (emulator-vocabulary.json, claims.json, scopes.json). */
export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
export type ClaimName = keyof Vocabulary['claims'];
export type ScopeName = keyof Vocabulary['scopes'];
export type ContentItemType = 'link' | 'file' | 'html' | 'ltiResourceLink' | 'image';

/** The vocabulary file plus the claim URIs and scopes shared with the tool (claims.json, scopes.json). */
export interface Vocabulary {
  ltiVersion: string;
  claimPrefixes: Record<string, string>;
  claims: {
    messageType: string;
    version: string;
    deploymentId: string;
    targetLinkUri: string;
    resourceLink: string;
    roles: string;
    context: string;
    toolPlatform: string;
    roleScopeMentor: string;
    launchPresentation: string;
    lis: string;
    custom: string;
    forUser: string;
    deepLinkingSettings: string;
    contentItems: string;
    deepLinkingData: string;
    deepLinkingMsg: string;
    deepLinkingLog: string;
    deepLinkingErrorMsg: string;
    deepLinkingErrorLog: string;
    agsEndpoint: string;
    nrps: string;
  };
  messageTypes: Record<MessageType, { required: (ClaimName | 'sub')[] }>;
  deepLinkingResponse: string;
  scopes: { lineItem: string; lineItemReadOnly: string; resultReadOnly: string; score: string; contextMembershipReadOnly: string };
  mediaTypes: {
    lineItemContainer: string;
    lineItem: string;
    score: string;
    resultContainer: string;
    membershipContainer: string;
    legacyMembershipContainer: string;
  };
  oidcAuthRequest: { scope: string; responseType: string; responseMode: string; prompt: string };
  clientAssertionType: string;
  toolConfiguration: string;
  platformConfiguration: string;
  deepLinking: { contentItemRequiredFields: Record<ContentItemType, string[]>; documentTargets: string[] };
  ags: { activityProgress: string[]; gradingProgress: string[] };
  nrps: { serviceVersions: string[]; memberStatus: string[] };
  /** Variable → "subject.field" in the launch's substitution bag (see id-token/custom-claim.ts). */
  substitutionVariables: Record<string, string>;
}

const readStandard = <T>(name: string): T => JSON.parse(readFileSync(join(standardsDir, 'lti', name), 'utf8')) as T;

export const vocabulary: Vocabulary = {
  ...readStandard<Omit<Vocabulary, 'claims' | 'scopes'>>('emulator-vocabulary.json'),
  claims: readStandard<{ claims: Vocabulary['claims'] }>('claims.json').claims,
  scopes: Object.fromEntries(
    readStandard<{ scopes: { name: string; scope: string }[] }>('scopes.json').scopes.map((s) => [s.name, s.scope]),
  ) as Vocabulary['scopes'],
};
export const CLAIM = vocabulary.claims;
export const SCOPE = vocabulary.scopes;
export const MEDIA_TYPE = vocabulary.mediaTypes;
export const MESSAGE_TYPES = Object.keys(vocabulary.messageTypes) as MessageType[];
export const CONTENT_ITEM_TYPES = Object.keys(vocabulary.deepLinking.contentItemRequiredFields) as ContentItemType[];
export const ALL_SCOPES: readonly string[] = Object.values(SCOPE);
export const AGS_SCOPES: readonly string[] = [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as string[]).includes(value);
}

/** "lti:version" → "https://purl.imsglobal.org/spec/lti/claim/version"; other names are returned unchanged. */
export function expandClaimName(name: string): string {
  const colon = name.indexOf(':');
  if (colon <= 0) return name;
  const prefix = vocabulary.claimPrefixes[name.slice(0, colon)];
  return prefix ? prefix + name.slice(colon + 1) : name;
}
