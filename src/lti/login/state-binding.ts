import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Binding the OIDC state to the browser that started the login (SEC §5.1.1.5; fact sheet §2.3,
 * §14.2). Primary: a cookie per login, `SameSite=None; Secure` because the launch is a cross-site
 * form POST inside the platform's iframe, `Partitioned` so it survives browsers that partition
 * third-party cookies, `HttpOnly`, path-limited to the launch endpoint, living as long as the state.
 * One cookie per state (its name carries a digest of the state), so several launches on one page
 * (two iframes) do not overwrite each other.
 *
 * Fallback when cookies are blocked: LTI postMessage storage (PM-S) — the login page stores the
 * state in the platform's frame, and the launch page reads it back and re-posts it. Only a
 * same-origin POST (Origin = EdHub) may carry a state read from platform storage, so a cross-site
 * form cannot simply claim it.
 */
export const STATE_COOKIE_PREFIX = 'edhub_lti_state_';

export function stateCookieName(state: string): string {
  return STATE_COOKIE_PREFIX + createHash('sha256').update(state).digest('base64url').slice(0, 22);
}

export function stateCookie(state: string, maxAgeSeconds: number): string {
  return `${stateCookieName(state)}=${state}; Max-Age=${maxAgeSeconds}; Path=/lti/launch; HttpOnly; Secure; SameSite=None; Partitioned`;
}

export function clearStateCookie(state: string): string {
  return `${stateCookieName(state)}=; Max-Age=0; Path=/lti/launch; HttpOnly; Secure; SameSite=None; Partitioned`;
}

/** The key under which the login stores the state in platform storage (PM-S lti.put_data). */
export function storageKey(state: string): string {
  return `edhub.lti.state.${state}`;
}

/** Cookie header → name/value pairs (RFC 6265 §5.4); the first of duplicate names wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
