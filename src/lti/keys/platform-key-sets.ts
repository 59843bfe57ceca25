import { type CryptoKey, importJWK, type JWK } from 'jose';
import { isObject } from '../claims.js';
import { LtiError } from '../errors.js';
import { OutboundError, type OutboundHttp } from '../outbound/outbound-http.js';

/**
 * Platform key sets, cached per JWKS URL (SEC "Key Set URL"; fact sheet §3 check 6, §14.3):
 * - cached for the platform's `Cache-Control: max-age` (no-store/no-cache: not cached; absent:
 *   DEFAULT_TTL_SECONDS; at most MAX_TTL_SECONDS);
 * - an unknown kid in a fresh cache triggers one refetch, at most once per REFETCH_COOLDOWN_SECONDS
 *   per URL, so random kids cannot make EdHub hammer a platform; then the kid is unknown;
 * - concurrent launches share one fetch; when a refresh fails, a stale set that has the kid is used.
 */
export interface PlatformKeySets {
  keyFor(jwksUrl: string, kid: string): Promise<CryptoKey>;
}

export const DEFAULT_TTL_SECONDS = 300;
export const MAX_TTL_SECONDS = 86_400;
export const REFETCH_COOLDOWN_SECONDS = 30;
const MAX_CACHED_URLS = 1000;

interface Entry {
  keys: JWK[];
  fetchedAt: number;
  expiresAt: number;
  imported: Map<string, CryptoKey>;
}

export function createPlatformKeySets(outbound: OutboundHttp, now: () => Date): PlatformKeySets {
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();

  const fetchSet = (url: string): Promise<Entry> => {
    let pending = inFlight.get(url);
    if (!pending) {
      pending = download(outbound, url, now).finally(() => inFlight.delete(url));
      inFlight.set(url, pending);
    }
    return pending;
  };

  const store = (url: string, entry: Entry) => {
    if (!cache.has(url) && cache.size >= MAX_CACHED_URLS) cache.delete(cache.keys().next().value as string);
    cache.set(url, entry);
  };

  return {
    async keyFor(url, kid) {
      const t = now().getTime();
      let entry = cache.get(url);
      if (!entry || entry.expiresAt <= t) {
        try {
          entry = await fetchSet(url);
          store(url, entry);
        } catch (err) {
          if (!(err instanceof LtiError) || !entry || !findKey(entry, kid)) throw err;
          // stale-if-error: the platform's key set is down, and the cached set still has this key
        }
      } else if (!findKey(entry, kid) && t - entry.fetchedAt >= REFETCH_COOLDOWN_SECONDS * 1000) {
        entry = await fetchSet(url);
        store(url, entry);
      }
      const jwk = findKey(entry, kid);
      if (!jwk) throw new LtiError('kid-unknown', `kid ${kid.slice(0, 100)} is not an RS256 signing key in ${url}`);
      let key = entry.imported.get(kid);
      if (!key) {
        try {
          key = (await importJWK(jwk, 'RS256')) as CryptoKey;
        } catch (err) {
          throw new LtiError('kid-unknown', `the key ${kid.slice(0, 100)} in ${url} cannot be used: ${(err as Error).message}`);
        }
        entry.imported.set(kid, key);
      }
      return key;
    },
  };
}

/** An RSA signing key with this kid; a key declaring another use or algorithm does not count. */
function findKey(entry: Entry, kid: string): JWK | undefined {
  return entry.keys.find((k) => k.kid === kid && k.kty === 'RSA' && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === 'RS256'));
}

async function download(outbound: OutboundHttp, url: string, now: () => Date): Promise<Entry> {
  let res: Awaited<ReturnType<OutboundHttp['request']>>;
  try {
    res = await outbound.request({ method: 'GET', url, headers: { Accept: 'application/jwk-set+json, application/json' } });
  } catch (err) {
    if (err instanceof OutboundError) throw new LtiError('jwks-unavailable', `${url}: ${err.message}`);
    throw err;
  }
  if (res.status !== 200) throw new LtiError('jwks-unavailable', `${url} answered HTTP ${res.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new LtiError('jwks-unavailable', `${url} did not answer JSON`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.keys)) throw new LtiError('jwks-unavailable', `${url} did not answer a JWK set ({"keys": [...]})`);
  const fetchedAt = now().getTime();
  return {
    keys: parsed.keys.filter(isObject) as JWK[],
    fetchedAt,
    expiresAt: fetchedAt + cacheSeconds(res.headers.get('cache-control')) * 1000,
    imported: new Map(),
  };
}

/** Seconds a key set may be reused, from its Cache-Control header. */
export function cacheSeconds(header: string | null): number {
  if (header === null) return DEFAULT_TTL_SECONDS;
  const directives = header
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.includes('no-store') || directives.includes('no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age\s*=\s*"?(\d+)"?$/.exec(d)).find((m) => m !== null);
  if (!maxAge?.[1]) return DEFAULT_TTL_SECONDS;
  return Math.min(Number(maxAge[1]), MAX_TTL_SECONDS);
}
