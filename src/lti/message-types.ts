import { type ClaimName, type Claims, claimOf, isObject } from './claims.js';
import { readLtiStandard } from './standard-file.js';

/** A claim a message type requires (or an optional claim's identifying member), from standards/lti/message-types.json. */
export interface ClaimRule {
  claim: ClaimName;
  path: string[];
  type: 'string' | 'array';
  maxLength?: number;
}

interface MessageTypesFile {
  messageTypes: Record<string, { section: string; required: ClaimRule[] }>;
  optionalShapes: { rules: ClaimRule[] };
}

const file = readLtiStandard<MessageTypesFile>('message-types.json');

export const MESSAGE_TYPES: readonly string[] = Object.keys(file.messageTypes);
export const OPTIONAL_CLAIM_SHAPES: readonly ClaimRule[] = file.optionalShapes.rules;

export function isSupportedMessageType(type: string): boolean {
  return Object.hasOwn(file.messageTypes, type);
}

export function requiredClaimsOf(type: string): readonly ClaimRule[] {
  return file.messageTypes[type]?.required ?? [];
}

/** The value a rule points at: the claim itself (empty path) or a member inside it. */
export function valueAt(claims: Claims, rule: ClaimRule): unknown {
  let v: unknown = claimOf(claims, rule.claim);
  for (const key of rule.path) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** How a rule reads in a log line: resource_link.id, target_link_uri… */
export function describeRule(rule: ClaimRule, claimUri: string): string {
  const short = claimUri.slice(claimUri.lastIndexOf('/') + 1);
  return [short, ...rule.path].join('.');
}
