/**
 * When the tool's signing keys sign and when they are published (decided here, documented in the
 * README "LTI 1.3 tool" section):
 *
 * - The JWKS is served with `Cache-Control: max-age=JWKS_MAX_AGE_SECONDS`.
 * - A new key is published at once but signs only ACTIVATION_DELAY_SECONDS later (one JWKS cache
 *   period), so a platform that cached the key set just before the rotation still knows the new key
 *   by the time the first token signed with it arrives. `--immediate` skips the wait (key compromise).
 * - Every JWT the tool signs expires at most TOOL_TOKEN_MAX_LIFETIME_SECONDS after it is issued.
 * - A superseded key stays published for RETIRED_KEY_PUBLISH_SECONDS after its successor activates:
 *   a token it signed at its last moment is valid for 5 minutes (plus the platform's clock leeway,
 *   commonly ≤ 1 minute), so one hour is a twelvefold margin for slow clocks and queued requests.
 *   After that the key leaves the JWKS and its private half is deleted from the vault.
 */
export const JWKS_MAX_AGE_SECONDS = 300;
export const ACTIVATION_DELAY_SECONDS = JWKS_MAX_AGE_SECONDS;
export const TOOL_TOKEN_MAX_LIFETIME_SECONDS = 300;
export const RETIRED_KEY_PUBLISH_SECONDS = 3600;

export type KeyState = 'next' | 'current' | 'retired' | 'unpublished';

export interface ScheduledKey {
  kid: string;
  activatesAt: Date;
  /** Breaks ties between keys activating at the same instant: the later-made key is the newer. */
  createdAt: Date;
}

export interface KeyStatus<K extends ScheduledKey> {
  key: K;
  state: KeyState;
  /** When a superseded key leaves the JWKS; null while it is next or current. */
  publishedUntil: Date | null;
}

/** Each key's state at `now`, from the activation times alone: no background job moves keys along. */
export function keyStates<K extends ScheduledKey>(keys: readonly K[], now: Date): KeyStatus<K>[] {
  const sorted = [...keys].sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  return sorted.map((key, i) => {
    const successor = sorted.slice(i + 1).find((k) => k.activatesAt.getTime() <= now.getTime());
    const publishedUntil = successor ? new Date(successor.activatesAt.getTime() + RETIRED_KEY_PUBLISH_SECONDS * 1000) : null;
    let state: KeyState;
    if (key.activatesAt.getTime() > now.getTime()) state = 'next';
    else if (!successor) state = 'current';
    else state = (publishedUntil as Date).getTime() > now.getTime() ? 'retired' : 'unpublished';
    return { key, state, publishedUntil };
  });
}
