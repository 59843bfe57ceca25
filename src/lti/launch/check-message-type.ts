import { claimOf } from '../claims.js';
import { LtiError } from '../errors.js';
import { isSupportedMessageType, MESSAGE_TYPES } from '../message-types.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/** Check 12 — message type (fact sheet §3 #12, §4.2; cert "message_type Claim Missing"): one of standards/lti/message-types.json. */
export function checkMessageType(ctx: LaunchContext): void {
  const type = claimOf(need(ctx.token, 'the decoded id_token').claims, 'messageType');
  if (type === undefined || type === '') throw new LtiError('message-type-missing', 'the message_type claim is absent');
  if (typeof type !== 'string' || !isSupportedMessageType(type)) {
    throw new LtiError('message-type-unsupported', `message_type ${JSON.stringify(type).slice(0, 100)} is not one of ${MESSAGE_TYPES.join(', ')}`);
  }
  ctx.messageType = type;
}
