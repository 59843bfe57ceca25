import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthorised } from './fake-oneroster-http.js';

/**
 * The fake's OAuth 1.0a side (RFC 5849, HMAC-SHA1, two-legged, as OneRoster 1.1 uses it). Written
 * apart from the client's signer on purpose: a test in which both sides share one encoder cannot
 * catch an encoding bug, and encoding is where OAuth 1.0a consumers break (fact sheet §6.3).
 * Rejects, with 401: a missing or malformed header, a wrong consumer key, a method other than
 * HMAC-SHA1, a timestamp more than 300 s from the fake's clock, a nonce seen before (§3.3), and a
 * signature that does not match.
 */
export interface OAuth1FakeOptions {
  consumerKey: string;
  consumerSecret: string;
  now: () => Date;
}

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type OAuth1Verifier = (method: string, hostHeader: string, rawPathAndQuery: string, authorization: string | undefined) => void;

export function createOAuth1Verifier(o: OAuth1FakeOptions): OAuth1Verifier {
  const seen = new Set<string>();
  return (method, host, rawPathAndQuery, authorization) => {
    const oauth = parseOAuthHeader(authorization);
    const need = (name: string) => {
      const value = oauth.get(name);
      if (value === undefined) throw unauthorised(`the OAuth header lacks ${name}`);
      return value;
    };
    if (need('oauth_consumer_key') !== o.consumerKey) throw unauthorised('unknown oauth_consumer_key');
    if (need('oauth_signature_method') !== 'HMAC-SHA1') throw unauthorised('oauth_signature_method must be HMAC-SHA1');
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') throw unauthorised('oauth_version must be 1.0');
    const timestamp = need('oauth_timestamp');
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - o.now().getTime() / 1000) > MAX_CLOCK_SKEW_SECONDS) {
      throw unauthorised('oauth_timestamp is too far from the server clock');
    }
    const nonce = need('oauth_nonce');
    const signature = need('oauth_signature');

    const queryStart = rawPathAndQuery.indexOf('?');
    const path = queryStart < 0 ? rawPathAndQuery : rawPathAndQuery.slice(0, queryStart);
    const query = queryStart < 0 ? '' : rawPathAndQuery.slice(queryStart + 1);
    const params: Array<[string, string]> = [...oauth].filter(([name]) => name !== 'oauth_signature' && name !== 'realm');
    for (const pair of query.split('&').filter(Boolean)) {
      const eq = pair.indexOf('=');
      params.push(eq < 0 ? [formDecode(pair), ''] : [formDecode(pair.slice(0, eq)), formDecode(pair.slice(eq + 1))]);
    }
    const normalized = params
      .map(([n, v]) => `${encode(n)}=${encode(v)}`)
      .sort((a, b) => {
        const [an, av] = a.split('=') as [string, string];
        const [bn, bv] = b.split('=') as [string, string];
        return an === bn ? compare(av, bv) : compare(an, bn);
      })
      .join('&');
    const base = `${method.toUpperCase()}&${encode(`http://${host.toLowerCase()}${path}`)}&${encode(normalized)}`;
    const expected = createHmac('sha1', `${encode(o.consumerSecret)}&`)
      .update(base)
      .digest();
    const presented = Buffer.from(signature, 'base64');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw unauthorised('oauth_signature does not match');

    // §3.3: a nonce is unique per timestamp and client; remember it only once the request checks out.
    const key = `${timestamp}:${nonce}`;
    if (seen.has(key)) throw unauthorised('oauth_nonce has been used before');
    seen.add(key);
  };
}

/** §3.5.1: `OAuth name="value", …` with percent-encoded names and values. */
function parseOAuthHeader(header: string | undefined): Map<string, string> {
  const m = /^OAuth\s+(.*)$/is.exec(header?.trim() ?? '');
  if (!m) throw unauthorised('an OAuth 1.0a Authorization header is required', { 'www-authenticate': 'OAuth realm="fake-oneroster"' });
  const params = new Map<string, string>();
  for (const part of (m[1] as string).split(',')) {
    const kv = /^\s*([A-Za-z0-9_%.-]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!kv) throw unauthorised('malformed OAuth Authorization header');
    params.set(decodeURIComponent(kv[1] as string), decodeURIComponent(kv[2] as string));
  }
  return params;
}

/** RFC 3986 §2.1 over the UTF-8 bytes: unreserved characters stay, everything else is %XX upper-case. */
function encode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
