import { createHmac, randomBytes } from 'node:crypto';
import { decodeQuery, percentEncode } from './percent-encode.js';

/**
 * OAuth 1.0a request signing, HMAC-SHA1, as the original OneRoster 1.1 binding uses it (fact sheet
 * §6.2–6.3): two-legged, so there is no token and the token secret is empty. Section numbers are RFC 5849's.
 */

/** §3.4.1.2: scheme and host lower-cased, the default port dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname || '/'}`;
}

/** §3.4.1.3.2: every name and value encoded, sorted by name then value (by byte order), joined by `=` and `&`. */
export function normalizeParameters(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * §3.4.1: METHOD & encode(base string URI) & encode(normalised parameters). The parameters are the
 * query's (§3.4.1.3.1), the oauth_* protocol parameters except oauth_signature, and — only when the body
 * is application/x-www-form-urlencoded — the body's, passed in `extra`. OneRoster bodies are JSON, so
 * they never enter the signature.
 */
export function signatureBaseString(method: string, url: URL, extra: ReadonlyArray<readonly [string, string]>): string {
  const params = [...decodeQuery(url.search), ...extra];
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalizeParameters(params))].join('&');
}

/** §3.4.2: key = encode(client secret) & encode(token secret); the token secret is empty here. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
}

/**
 * The `Authorization: OAuth …` header (§3.5.1) for one request. A fresh nonce from the CSPRNG each
 * time, because providers reject a repeated nonce (§3.3); the timestamp is whole seconds since the epoch.
 */
export function oauth1AuthorizationHeader(
  method: string,
  url: URL,
  credentials: OAuth1Credentials,
  now: Date,
  nonce: string = randomBytes(16).toString('hex'),
): string {
  const protocol: Array<[string, string]> = [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(now.getTime() / 1000))],
    ['oauth_version', '1.0'],
  ];
  const signature = hmacSha1Signature(signatureBaseString(method, url, protocol), credentials.consumerSecret);
  const fields = [...protocol, ['oauth_signature', signature] as [string, string]].sort(([a], [b]) => (a < b ? -1 : 1));
  return `OAuth ${fields.map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`).join(', ')}`;
}
