/** A form found in an HTML page: where it posts and its named input values. */
export interface HtmlForm {
  action: string;
  method: string;
  fields: Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1]?.toLowerCase() === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs[(m[1] as string).toLowerCase()] = decodeEntities(m[3] ?? m[4] ?? m[5] ?? '');
  }
  return attrs;
}

/** The first form of the page (the auto-submitting forms of LTI carry exactly one), or undefined. */
export function findForm(html: string, baseUrl: string): HtmlForm | undefined {
  const open = /<form\b[^>]*>/i.exec(html);
  if (!open) return undefined;
  const end = html.indexOf('</form>', open.index);
  const inner = html.slice(open.index, end < 0 ? undefined : end);
  const attrs = attributes(open[0]);
  const fields: Record<string, string> = {};
  for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(input[0]);
    if (a.name !== undefined) fields[a.name] = a.value ?? '';
  }
  return { action: new URL(attrs.action ?? '', baseUrl).toString(), method: (attrs.method ?? 'get').toUpperCase(), fields };
}

/** A page that submits its own form on load (OIDC form_post, Deep Linking return). */
export function isAutoSubmitting(html: string): boolean {
  return /<form\b/i.test(html) && /\.submit\(\)/.test(html);
}
