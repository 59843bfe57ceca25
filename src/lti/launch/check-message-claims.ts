import { CLAIM, claimOf } from '../claims.js';
import { LtiError } from '../errors.js';
import { type ClaimRule, describeRule, OPTIONAL_CLAIM_SHAPES, requiredClaimsOf, valueAt } from '../message-types.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Check 16 — the claims the message type requires (fact sheet §4.2; cert "Launch With Missing
 * resource_link_id"), from standards/lti/message-types.json; and the identifying member of optional
 * claims that are present (a context without an id).
 */
export function checkMessageClaims(ctx: LaunchContext): void {
  const claims = need(ctx.token, 'the decoded id_token').claims;
  for (const rule of requiredClaimsOf(need(ctx.messageType, 'the message type'))) {
    const value = valueAt(claims, rule);
    if (value === undefined || value === null || value === '') {
      throw new LtiError('required-claim-missing', `${describeRule(rule, CLAIM[rule.claim])} is required for ${ctx.messageType}`);
    }
    checkShape(rule, value);
  }
  for (const rule of OPTIONAL_CLAIM_SHAPES) {
    if (claimOf(claims, rule.claim) === undefined) continue;
    const value = valueAt(claims, rule);
    if (value === undefined || value === '') {
      throw new LtiError('claim-invalid', `${describeRule(rule, CLAIM[rule.claim])} is required when the claim is present`);
    }
    checkShape(rule, value);
  }
}

function checkShape(rule: ClaimRule, value: unknown): void {
  const name = describeRule(rule, CLAIM[rule.claim]);
  if (rule.type === 'array' ? !Array.isArray(value) : typeof value !== rule.type) {
    throw new LtiError('claim-invalid', `${name} must be a${rule.type === 'array' ? 'n array' : ` ${rule.type}`}`);
  }
  if (rule.maxLength !== undefined && typeof value === 'string' && value.length > rule.maxLength) {
    throw new LtiError('claim-invalid', `${name} is longer than ${rule.maxLength} characters`);
  }
}
