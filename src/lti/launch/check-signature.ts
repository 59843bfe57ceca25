import { compactVerify } from 'jose';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { ID_TOKEN_ALGORITHM } from './check-algorithm.js';
import type { LaunchContext } from './launch-context.js';

/**
 * Check 7 — signature (fact sheet §3 #7): the JWS verified with the selected key, the algorithm list
 * pinned again. Only the signature is jose's job; every claim check is EdHub's own, in order (§14).
 */
export async function checkSignature(ctx: LaunchContext): Promise<void> {
  const token = need(ctx.token, 'the decoded id_token');
  try {
    await compactVerify(token.compact, need(ctx.key, 'the platform key'), { algorithms: [ID_TOKEN_ALGORITHM] });
  } catch (err) {
    throw new LtiError('signature-invalid', `the signature does not verify: ${(err as { code?: string }).code ?? (err as Error).message}`);
  }
}
