/**
 * The `Link` header of a collection page (fact sheet §4): first, prev, next and last, each the same
 * request with another offset. Consumers prefer `rel="next"`; the others help people and tools.
 */
export function pagingLinks(url: string, query: Record<string, unknown>, page: { limit: number; offset: number; total: number }): string | undefined {
  const { limit, offset, total } = page;
  const at = (o: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === 'offset' || k === 'limit') continue;
      for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string') params.append(k, one);
    }
    params.set('limit', String(limit));
    params.set('offset', String(o));
    return `<${url}?${params.toString().replace(/\+/g, '%20')}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)}; rel="first"`];
  if (offset > 0) links.push(`${at(Math.max(0, offset - limit))}; rel="prev"`);
  if (offset + limit < total) links.push(`${at(offset + limit)}; rel="next"`);
  links.push(`${at(last)}; rel="last"`);
  return links.join(', ');
}
