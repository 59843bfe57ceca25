/**
 * RFC 8288 `Link` header → target URI-reference per relation type. OneRoster providers send
 * `<url>; rel="next", <url>; rel="last", …` (fact sheet §4); a rel may be unquoted or list several
 * space-separated types. Targets are returned as written (possibly relative): the caller resolves
 * them against the request URL (RFC 8288 §3.1). Undefined when there is no Link header at all, which
 * is not the same as a Link header without `next` (that one marks the last page).
 */
export function parseLinkHeader(header: string | null): Map<string, string> | undefined {
  if (header === null) return undefined;
  const links = new Map<string, string>();
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const target = (match[1] as string).trim();
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] as string);
    const types = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    for (const type of types) if (!links.has(type)) links.set(type, target);
  }
  return links;
}
