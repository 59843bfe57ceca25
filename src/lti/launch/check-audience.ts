import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Check 8 — audience and authorised party (SEC §5.1.3 items 3–5; fact sheet §14.5): every audience
 * must be this tool (an extra audience is one the tool does not trust), and azp, when present, must
 * be this tool's client_id.
 */
export function checkAudience(ctx: LaunchContext): void {
  const clientId = need(ctx.registration, 'the registration').clientId;
  const { aud, azp } = need(ctx.token, 'the decoded id_token').claims;
  if (Array.isArray(aud)) {
    const untrusted = aud.filter((a) => a !== clientId);
    if (untrusted.length > 0) throw new LtiError('aud-untrusted', `aud also names ${JSON.stringify(untrusted).slice(0, 200)}`);
  }
  if (azp !== undefined && azp !== clientId) throw new LtiError('azp-mismatch', `azp ${JSON.stringify(azp)?.slice(0, 200)} is not the client_id ${clientId}`);
}
