import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 9 — exp and iat (SEC §5.1.3 items 7–8; fact sheet §14.8; cert "Exp and Iat Fields invalid"):
 * not expired, not issued in the future, and not older than a generous maximum age — each with the
 * configured clock leeway.
 */
export function checkTimestamps(ctx: LaunchContext, deps: LaunchDeps): void {
  const { exp, iat } = need(ctx.token, 'the decoded id_token').claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new LtiError('exp-invalid', 'exp is missing or not a number');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new LtiError('iat-invalid', 'iat is missing or not a number');
  const now = deps.now().getTime() / 1000;
  const leeway = deps.clockToleranceSeconds;
  if (exp <= now - leeway) throw new LtiError('token-expired', `exp ${exp} is ${Math.round(now - exp)} s in the past`);
  if (iat > now + leeway) throw new LtiError('iat-in-future', `iat ${iat} is ${Math.round(iat - now)} s in the future`);
  if (iat < now - deps.idTokenMaxAgeSeconds - leeway) throw new LtiError('iat-too-old', `iat ${iat} is ${Math.round(now - iat)} s old`);
}
