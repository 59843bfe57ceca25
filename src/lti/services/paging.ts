import { parseLinkHeader } from '../../oneroster/client/link-header.js';
import type { OutboundResponse } from '../outbound/outbound-http.js';
import type { ServiceName } from './service-call-log.js';
import type { LtiServiceClient } from './service-client.js';
import { LtiServiceError } from './service-errors.js';
import { parseServiceUrl } from './service-urls.js';

/**
 * Paging of NRPS (§2.4) and AGS containers (§3.2.3): follow `Link: <…>; rel="next"` until a page has
 * none. One page is in memory at a time: the caller consumes a page before the next is asked for.
 *
 * Decision — links must stay on the service's origin: a `next` or `differences` link whose scheme,
 * host or port differs from the first URL's is refused (`link-refused`), because following it would
 * hand the bearer token to a host the registration never named. Platforms page on their own host
 * (Canvas, Moodle); one that does not can be registered with its paging host as the service host.
 * A `next` link to a page already fetched is refused too (a loop), and at most `maxPages` are read.
 */
export interface PageSpec {
  service: ServiceName;
  scopes: readonly string[];
  accept: string;
  /** Default DEFAULT_MAX_PAGES. */
  maxPages?: number;
}

export interface Page<T> {
  /** The URL this page was read from. */
  url: string;
  /** 1 for the first page. */
  number: number;
  value: T;
  /** The page's `rel="differences"` link (NRPS §2.4.2), resolved and checked. */
  differences?: string;
}

export const DEFAULT_MAX_PAGES = 1000;

export async function* followPages<T>(client: LtiServiceClient, firstUrl: string, spec: PageSpec, read: (res: OutboundResponse) => T): AsyncGenerator<Page<T>> {
  const origin = parseServiceUrl(firstUrl, 'the service URL').origin;
  const maxPages = spec.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let url: string | undefined = firstUrl;
  for (let number = 1; url !== undefined; number++) {
    if (number > maxPages) throw new LtiServiceError('paging-limit', `${spec.service}: more than ${maxPages} pages; stopped at ${url.slice(0, 300)}`, { url });
    seen.add(url);
    const current: string = url;
    const page = await client.call({ service: spec.service, method: 'GET', url: current, scopes: spec.scopes, accept: spec.accept }, (res) => {
      const links = parseLinkHeader(res.headers.get('link'));
      const next = links?.get('next');
      const differences = links?.get('differences');
      const nextUrl = next === undefined ? undefined : checkedLink(next, res.url, origin, 'next');
      if (nextUrl !== undefined && seen.has(nextUrl))
        throw new LtiServiceError('link-refused', `Link rel="next" of ${current} points to a page already read (${nextUrl})`);
      return {
        value: read(res),
        next: nextUrl,
        differences: differences === undefined ? undefined : checkedLink(differences, res.url, origin, 'differences'),
      };
    });
    yield { url: current, number, value: page.value, ...(page.differences !== undefined ? { differences: page.differences } : {}) };
    url = page.next;
  }
}

/** RFC 8288 §3.1: a link target is resolved against the URL that answered; then the origin rule above. */
function checkedLink(target: string, base: string, origin: string, rel: string): string {
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    throw new LtiServiceError('link-refused', `Link rel="${rel}" is not a URL: ${target.slice(0, 200)}`);
  }
  if (url.origin !== origin) {
    throw new LtiServiceError(
      'link-refused',
      `Link rel="${rel}" leaves the service origin ${origin} for ${url.origin}: not followed (the bearer token would go with it)`,
    );
  }
  url.hash = '';
  return url.toString();
}
