import { OneRosterClientError } from './errors.js';
import { parseLinkHeader } from './link-header.js';
import type { Row } from './response-key.js';

export interface Page {
  rows: Row[];
  headers: Headers;
}

export interface PagingPlan {
  /** The collection URL with `limit` and this `offset` (and the caller's filter, sort, fields). */
  urlAt(offset: number): URL;
  fetchPage(url: URL): Promise<Page>;
}

/**
 * Walks a collection page by page (fact sheet §4 "consumer paging", §10.3):
 *
 * 1. A page with a `Link` header: follow `rel="next"` (relative targets resolved against the request
 *    URL, RFC 8288 §3.1); no `next` means this was the last page. A next link to another origin is
 *    refused: the credentials would follow it.
 * 2. No `Link` header: offset paging, `offset += rows received`.
 *    - An empty page ends the walk.
 *    - `X-Total-Count`, when present and consistent (not below what has arrived), decides: stop once
 *      that many rows have arrived, go on while fewer have, even after a short page.
 *    - Otherwise a page shorter than a full page ends the walk. A full page is the size of the first
 *      page: a provider may cap `limit` below what was asked (Ed-Fi caps at 500), and a first page
 *      shorter than the limit cannot tell "capped" from "that was all", so it costs one more request
 *      to find out instead of silently dropping everything past the cap.
 * 3. Every page: if its first sourcedId is the previous page's first sourcedId, the provider is
 *    ignoring `offset` (or the next link points back), and the walk stops with an error naming the
 *    URL rather than looping or yielding duplicates.
 */
export async function* pageThrough(plan: PagingPlan): AsyncGenerator<Row> {
  let url = plan.urlAt(0);
  let received = 0;
  let fullPage: number | undefined;
  let previousFirst: string | undefined;
  for (;;) {
    const { rows, headers } = await plan.fetchPage(url);
    const first = rows[0]?.sourcedId;
    if (typeof first === 'string' && first === previousFirst) {
      throw pagingError(url, `returned the same first record (sourcedId ${first}) as the page before; the provider appears to ignore offset`);
    }
    previousFirst = typeof first === 'string' ? first : undefined;
    yield* rows;
    if (rows.length === 0) return;
    received += rows.length;

    const links = parseLinkHeader(headers.get('link'));
    if (links !== undefined) {
      const next = links.get('next');
      if (next === undefined) return;
      url = nextLink(next, url);
      continue;
    }

    const isFirstPage = fullPage === undefined;
    fullPage ??= rows.length;
    const total = totalCount(headers);
    if (total !== undefined && total >= received) {
      if (received === total) return;
    } else if (!isFirstPage && rows.length < fullPage) {
      return;
    }
    url = plan.urlAt(received);
  }
}

function nextLink(target: string, current: URL): URL {
  let next: URL;
  try {
    next = new URL(target, current);
  } catch {
    throw pagingError(current, `sent a Link rel="next" that is not a URL: ${target}`);
  }
  if (next.origin !== current.origin) throw pagingError(current, `sent a Link rel="next" to another origin (${next.origin}); not followed`);
  return next;
}

/** `X-Total-Count: <int>` (fact sheet §4); anything else is treated as absent. */
function totalCount(headers: Headers): number | undefined {
  const value = headers.get('x-total-count')?.trim();
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function pagingError(url: URL, problem: string): OneRosterClientError {
  return new OneRosterClientError({ code: 'paging_error', status: 200, url: url.href, method: 'GET' }, `GET ${url.href} ${problem}`);
}
