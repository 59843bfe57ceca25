import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Every registration pins RS256 (LTI 1.3 requires it). The header's alg is compared with it and never
 * used to choose how to verify (SEC §5.1.3 item 6; fact sheet §14.4): `none` and every HS* — HS256
 * "signed" with the platform's public key as the secret is the classic attack — are refused here.
 */
export const ID_TOKEN_ALGORITHM = 'RS256';

/** Check 3 — algorithm. */
export function checkAlgorithm(ctx: LaunchContext): void {
  const alg = need(ctx.token, 'the decoded id_token').header.alg;
  if (alg !== ID_TOKEN_ALGORITHM) {
    throw new LtiError('alg-not-allowed', `the header names alg ${JSON.stringify(alg)?.slice(0, 50)}; the registration pins ${ID_TOKEN_ALGORITHM}`);
  }
}
