import { LtiError } from '../errors.js';
import { consumeLoginState, digest } from '../login/login-states.js';
import { parseCookies, sameSecret, stateCookieName, storageKey } from '../login/state-binding.js';
import { need } from '../pipeline.js';
import { loadRegistration } from '../registrations/registration.js';
import { toolUrls } from '../target-link.js';
import type { BrowserStateCheck, LaunchContext, LaunchDeps } from './launch-context.js';

/**
 * Check 1 — state (SEC §5.1.1.5; fact sheet §3 #1, §14.2): the state is one EdHub issued, not expired,
 * not used, bound to this browser (its cookie, or platform storage read back by EdHub's own page),
 * and is then used up atomically. Returns a browser check when cookies are blocked but the platform
 * offers postMessage storage.
 */
export async function checkState(ctx: LaunchContext, deps: LaunchDeps): Promise<BrowserStateCheck | undefined> {
  const { input } = ctx;
  const state = input.state;
  if (state === undefined || state === '') throw new LtiError('state-missing', 'the launch form has no state');
  if (typeof state !== 'string') throw new LtiError('state-unknown', 'state must be given once, as a single value');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(state)) throw new LtiError('state-unknown', 'the state is not in the form this tool issues');
  const now = deps.now();
  const row = await deps.db
    .selectFrom('lti_login_states')
    .select(['platform_id', 'tenant_id', 'expires_at', 'consumed_at'])
    .where('state_hash', '=', digest(state))
    .executeTakeFirst();
  if (!row) throw new LtiError('state-unknown', 'no login issued this state');
  const context = { platformId: row.platform_id, tenantId: row.tenant_id };
  if (row.consumed_at) throw new LtiError('state-used', 'the state was already used by a launch', context);
  if (row.expires_at.getTime() <= now.getTime()) throw new LtiError('state-expired', `the state expired at ${row.expires_at.toISOString()}`, context);

  const cookie = parseCookies(input.cookieHeader).get(stateCookieName(state));
  if (cookie !== undefined) {
    if (!sameSecret(cookie, state)) throw new LtiError('state-mismatch', 'the state cookie holds another value', context);
  } else if (typeof input.storageState === 'string' && input.storageState !== '') {
    const own = toolUrls(deps.baseUrl).origin;
    if (input.origin !== own) {
      throw new LtiError('state-mismatch', `a state from platform storage must be posted by ${own}, not ${input.origin ?? 'an unknown origin'}`, context);
    }
    if (!sameSecret(input.storageState, state)) throw new LtiError('state-mismatch', 'platform storage holds another state for this launch', context);
  } else if (typeof input.storageTarget === 'string' && /^[A-Za-z0-9_.-]{1,255}$/.test(input.storageTarget) && typeof input.idToken === 'string') {
    const registration = need(await loadRegistration(deps.db, row.platform_id), 'the registration of the login state');
    return {
      state,
      idToken: input.idToken,
      storageTarget: input.storageTarget,
      platformOrigin: new URL(registration.authUrl).origin,
      key: storageKey(state),
    };
  } else {
    throw new LtiError(
      'state-mismatch',
      'this browser holds no state cookie for the launch (third-party cookies blocked?) and no platform storage was offered',
      context,
    );
  }

  const consumed = await consumeLoginState(deps.db, state, now);
  if (!consumed.ok) {
    const code = consumed.failure === 'used' ? 'state-used' : consumed.failure === 'expired' ? 'state-expired' : 'state-unknown';
    throw new LtiError(code, 'the state was used up or expired while this launch was checked', context);
  }
  ctx.state = state;
  ctx.login = consumed.row;
  ctx.registration = need(await loadRegistration(deps.db, consumed.row.platformId), 'the registration of the login state');
  return undefined;
}
