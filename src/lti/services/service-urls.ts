import { LtiServiceError } from './service-errors.js';

/** A service URL from a claim, a registration or a caller: absolute http(s), without credentials. */
export function parseServiceUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LtiServiceError('url-invalid', `${what} is not an absolute URL: ${String(raw).slice(0, 200)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LtiServiceError('url-invalid', `${what} must be http(s), not ${url.protocol}`);
  if (url.username || url.password) throw new LtiServiceError('url-invalid', `${what} must not carry credentials`);
  url.hash = '';
  return url;
}

/**
 * Adds query parameters to a service URL, keeping the parameters it already has (fact sheet §9 and
 * §14.13: the 1EdTech NRPS test URL is `…namesandroles.html?memberships=17387`). The existing query
 * text is kept byte for byte; a parameter the URL already names is replaced.
 */
export function withQuery(raw: string, params: Record<string, string | number | undefined>, what: string): string {
  const url = parseServiceUrl(raw, what);
  const added = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  if (added.length === 0) return url.toString();
  if (added.some(([name]) => url.searchParams.has(name))) {
    for (const [name, value] of added) url.searchParams.set(name, String(value));
    return url.toString();
  }
  const extra = new URLSearchParams(added.map(([name, value]): [string, string] => [name, String(value)])).toString();
  url.search = url.search ? `${url.search.slice(1)}&${extra}` : extra;
  return url.toString();
}

/**
 * AGS §3.4/§3.3 (fact sheet §8.2): `/scores` and `/results` go into the line item's path, before any
 * query string — Moodle's `…/lineitem?type_id=1` becomes `…/lineitem/scores?type_id=1`.
 */
export function lineItemSubresource(lineItemUrl: string, segment: 'scores' | 'results'): string {
  const url = parseServiceUrl(lineItemUrl, 'the line item URL');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segment}`;
  return url.toString();
}
