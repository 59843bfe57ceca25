import { ServiceError } from './service-error.js';

/**
 * Paging for NRPS (§2.4) and AGS (§3.2.3): `limit` and `page` query parameters, and an RFC 8288 Link
 * header with next / prev / first / last that keeps every other query parameter of the request.
 */
export function pageOf<T>(items: T[], url: URL, defaultLimit: number): { items: T[]; links: string[] } {
  const limit = parsePositive(url.searchParams.get('limit'), 'limit') ?? defaultLimit;
  const page = parsePositive(url.searchParams.get('page'), 'page') ?? 1;
  const last = Math.max(1, Math.ceil(items.length / limit));
  const link = (n: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set('limit', String(limit));
    target.searchParams.set('page', String(n));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first'), link(last, 'last')];
  if (page < last) links.push(link(page + 1, 'next'));
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  return { items: items.slice((page - 1) * limit, page * limit), links };
}

function parsePositive(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ServiceError('invalid_request', `${name} must be a positive integer`);
  return n;
}
