import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { SweepSchedule } from '../../db/sweep-schedule.js';
import { LtiError } from '../errors.js';
import { digest } from '../login/login-states.js';
import { need } from '../pipeline.js';
import type { LaunchContext, LaunchDeps } from './launch-context.js';

const SWEEP_BATCH = 200;
const sweeps = new SweepSchedule();

/**
 * Check 10 — nonce (SEC §5.1.3 item 9; fact sheet §14.1): present, never seen before from this
 * platform, and equal to the nonce issued with this launch's state — then recorded as used until the
 * token could no longer be valid. An old token presented with a fresh state carries a nonce other than
 * the issued one, and is named a replay when it was seen before, a mismatch otherwise.
 */
export async function checkNonce(ctx: LaunchContext, deps: LaunchDeps): Promise<void> {
  const { nonce, exp } = need(ctx.token, 'the decoded id_token').claims;
  const registration = need(ctx.registration, 'the registration');
  const login = need(ctx.login, 'the login state');
  if (typeof nonce !== 'string' || nonce === '') throw new LtiError('nonce-missing', 'the id_token has no nonce');
  const hash = digest(nonce);
  if (!timingSafeEqual(hash, login.nonceHash)) {
    // Only a failing launch pays for the lookup that names an old token replayed with a fresh state.
    const seen = await deps.db
      .selectFrom('lti_used_nonces')
      .select('platform_id')
      .where('platform_id', '=', registration.id)
      .where('nonce_hash', '=', hash)
      .executeTakeFirst();
    if (seen) throw new LtiError('nonce-replayed', 'this nonce was already used by an accepted launch');
    throw new LtiError('nonce-mismatch', 'the nonce is not the one issued with this state');
  }
  const now = deps.now();
  const until = new Date(Math.max((exp as number) * 1000, now.getTime()) + deps.clockToleranceSeconds * 1000);
  if (sweeps.due(now.getTime())) {
    await sql`DELETE FROM lti_used_nonces WHERE (platform_id, nonce_hash) IN (
      SELECT platform_id, nonce_hash FROM lti_used_nonces WHERE expires_at < ${now} ORDER BY expires_at LIMIT ${SWEEP_BATCH})`.execute(deps.db);
  }
  // Recording the nonce is the replay check: a conflict means an accepted launch already used it.
  const inserted = await deps.db
    .insertInto('lti_used_nonces')
    .values({ platform_id: registration.id, nonce_hash: hash, expires_at: until })
    .onConflict((oc) => oc.columns(['platform_id', 'nonce_hash']).doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) throw new LtiError('nonce-replayed', 'this nonce was already used by an accepted launch');
}
