import { readLtiStandard } from './standard-file.js';

/** Claim URIs by the short names of standards/lti/claims.json (fact sheet §4.1). */
interface ClaimsFile {
  version: string;
  claims: Record<ClaimName, string>;
  limits: { idMaxLength: number };
}

export type ClaimName =
  | 'messageType'
  | 'version'
  | 'deploymentId'
  | 'targetLinkUri'
  | 'resourceLink'
  | 'roles'
  | 'context'
  | 'toolPlatform'
  | 'roleScopeMentor'
  | 'launchPresentation'
  | 'lis'
  | 'custom'
  | 'lti1p1'
  | 'forUser'
  | 'deepLinkingSettings'
  | 'contentItems'
  | 'deepLinkingData'
  | 'deepLinkingMsg'
  | 'deepLinkingLog'
  | 'deepLinkingErrorMsg'
  | 'deepLinkingErrorLog'
  | 'agsEndpoint'
  | 'nrps';

const file = readLtiStandard<ClaimsFile>('claims.json');

export const CLAIM: Readonly<Record<ClaimName, string>> = file.claims;
/** The value of the version claim an LTI 1.3 message carries. */
export const LTI_VERSION = file.version;
/** Fact sheet §4.3: every LTI id is at most this long. */
export const ID_MAX_LENGTH = file.limits.idMaxLength;

/** The claims of an id_token, as decoded JSON. */
export type Claims = Record<string, unknown>;

export function claimOf(claims: Claims, name: ClaimName): unknown {
  return claims[CLAIM[name]];
}

/** A claim that should be a JSON object, or undefined when it is absent or is not one. */
export function objectClaim(claims: Claims, name: ClaimName): Record<string, unknown> | undefined {
  const v = claimOf(claims, name);
  return isObject(v) ? v : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string member of an object claim, or null. */
export function stringAt(obj: Record<string, unknown> | undefined, key: string): string | null {
  const v = obj?.[key];
  return typeof v === 'string' ? v : null;
}
