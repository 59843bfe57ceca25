import { timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { SweepSchedule } from '../db/sweep-schedule.js';
import { hmacSha1Signature, signatureBaseString } from '../oneroster/client/oauth1-signature.js';
import { decodeQuery } from '../oneroster/client/percent-encode.js';
import type { Vault } from '../security/vault.js';
import type { TenantId } from '../tenancy/ids.js';
import type { Principal } from '../tenancy/principal.js';

/**
 * The provider side of OAuth 1.0a (RFC 5849) as OneRoster 1.1 uses it (fact sheet §6.2–6.3):
 * two-legged HMAC-SHA1, the consumer key is an EdHub OAuth client id, the consumer secret its secret,
 * no token. Checks, in order, each failure naming itself: the header's syntax, the protocol
 * parameters, the signature method, the timestamp window, the client (known, not revoked, OAuth 1.0a
 * enabled), the signature (constant-time), and only then the nonce — so unsigned junk cannot fill the
 * nonce table. The signed URL is the one the client used: EdHub's public base URL (or the request's
 * host) plus the path and query as received.
 */
export const TIMESTAMP_WINDOW_SECONDS = 300;
const NONCE_MAX_LENGTH = 255;
const SWEEP_BATCH = 200;
const sweeps = new SweepSchedule();
const REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature'] as const;

export type OAuth1Result = { ok: true; principal: Principal } | { ok: false; reason: string };

export interface OAuth1Request {
  method: string;
  /** The full URL as the client signed it (scheme, host, port, path and the raw query). */
  url: URL;
  /** The Authorization header, `OAuth …`. */
  authorization: string;
  now: Date;
}

/** True when the header uses the OAuth scheme (RFC 5849 §3.5.1), whatever its shape. */
export function isOAuth1Header(header: string | undefined): header is string {
  return header !== undefined && /^OAuth(\s|$)/i.test(header);
}

/**
 * §3.5.1: `OAuth name="value", name="value"` — values quoted and percent-encoded, `realm` ignored.
 * Returns the parameters, or the reason the header cannot be read.
 */
export function parseOAuth1Header(header: string): Map<string, string> | string {
  const body = header.replace(/^OAuth\s*/i, '');
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"\s*(,|$)/y;
  let at = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const m = re.exec(body);
    if (!m) return `the OAuth Authorization header is malformed at character ${at + 1} (expected name="value")`;
    const [, name, raw] = m as unknown as [string, string, string];
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return `the OAuth parameter ${name} is not valid percent-encoding`;
    }
    if (params.has(name)) return `the OAuth parameter ${name} appears twice`;
    if (name !== 'realm') params.set(name, value);
    at = re.lastIndex;
  }
  return params;
}

export function createOAuth1Verifier(db: Kysely<Database>, vault: Vault): (req: OAuth1Request) => Promise<OAuth1Result> {
  return async (req) => {
    const parsed = parseOAuth1Header(req.authorization);
    if (typeof parsed === 'string') return fail(parsed);
    const missing = REQUIRED.filter((name) => !parsed.get(name));
    if (missing.length) return fail(`the OAuth Authorization header lacks ${missing.join(', ')}`);
    const query = decodeQuery(req.url.search);
    if (query.some(([name]) => name.startsWith('oauth_'))) return fail('send the OAuth parameters in the Authorization header only, not also in the query');
    const p = (name: string) => parsed.get(name) as string;
    if (p('oauth_signature_method') !== 'HMAC-SHA1') return fail(`oauth_signature_method ${p('oauth_signature_method')} is not supported; use HMAC-SHA1`);
    const version = parsed.get('oauth_version');
    if (version !== undefined && version !== '1.0') return fail(`oauth_version must be 1.0, not ${version}`);
    if (!/^\d{1,12}$/.test(p('oauth_timestamp'))) return fail('oauth_timestamp must be whole seconds since 1970');
    const timestamp = Number(p('oauth_timestamp'));
    const skew = timestamp - Math.floor(req.now.getTime() / 1000);
    if (Math.abs(skew) > TIMESTAMP_WINDOW_SECONDS) {
      return fail(
        `oauth_timestamp is ${Math.abs(skew)} seconds ${skew < 0 ? 'old' : 'in the future'}; at most ${TIMESTAMP_WINDOW_SECONDS} are accepted (check the client's clock)`,
      );
    }
    if (p('oauth_nonce').length > NONCE_MAX_LENGTH) return fail(`oauth_nonce is longer than ${NONCE_MAX_LENGTH} characters`);

    const client = await db
      .selectFrom('oauth_clients')
      .select(['client_id', 'tenant_id', 'scopes', 'revoked_at', 'oauth1_secret_id'])
      .where('client_id', '=', p('oauth_consumer_key'))
      .executeTakeFirst();
    if (!client || client.revoked_at || !client.oauth1_secret_id) {
      return fail('oauth_consumer_key names no active client that accepts OAuth 1.0a (create one with oauth1 enabled)');
    }
    const secret = await vault.getString(client.tenant_id as TenantId, client.oauth1_secret_id);
    const protocol = [...parsed].filter(([name]) => name !== 'oauth_signature');
    const expected = hmacSha1Signature(signatureBaseString(req.method, req.url, protocol), secret);
    if (!sameText(expected, p('oauth_signature'))) {
      return fail('oauth_signature does not match this request (check the URL, the query parameters and their percent-encoding, and the secret)');
    }
    if (!(await useNonce(db, client.client_id, p('oauth_nonce'), timestamp, req.now))) {
      return fail('oauth_nonce was already used with this timestamp (a replayed request)');
    }
    return {
      ok: true,
      principal: { credential: { type: 'oauth_client', id: client.client_id }, tenantId: client.tenant_id as TenantId, scopes: new Set(client.scopes) },
    };
  };
}

function fail(reason: string): OAuth1Result {
  return { ok: false, reason };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Records the nonce; false when this client already used it with this timestamp. */
async function useNonce(db: Kysely<Database>, clientId: string, nonce: string, timestamp: number, now: Date): Promise<boolean> {
  if (sweeps.due(now.getTime())) {
    await sql`DELETE FROM oauth1_nonces WHERE ctid IN (
      SELECT ctid FROM oauth1_nonces WHERE expires_at < ${now} LIMIT ${SWEEP_BATCH})`.execute(db);
  }
  const inserted = await db
    .insertInto('oauth1_nonces')
    .values({
      client_id: clientId,
      nonce,
      timestamp_s: timestamp,
      expires_at: new Date((timestamp + TIMESTAMP_WINDOW_SECONDS) * 1000 + 1000),
    })
    .onConflict((oc) => oc.columns(['client_id', 'timestamp_s', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return inserted !== undefined;
}
