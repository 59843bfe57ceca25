import { randomBytes } from 'node:crypto';
import type { LtiResponse } from '../http-types.js';

/**
 * The HTML shell of every LTI page. The pages live inside an LMS iframe or a window it opened, so
 * their headers differ from the API's: framing is governed by CSP frame-ancestors (any platform may
 * frame the tool), the opener is kept (Dynamic Registration closes through window.opener), and the
 * only scripts and styles that run are the page's own, by nonce. Nothing is cached.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script type="application/json"> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:1.5rem;color:#1d2733;background:#f6f8fa}
main{max-width:44rem;margin:0 auto;background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:1.25rem 1.5rem}
h1{font-size:1.3rem;margin:0 0 .75rem}h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{color:#57606a}dd{margin:0;word-break:break-word}
code{font:13px ui-monospace,monospace;background:#f0f2f4;padding:.1rem .3rem;border-radius:4px}
.muted{color:#57606a;font-size:.9rem}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
ul{margin:.25rem 0;padding-left:1.2rem}`;

export interface PageOptions {
  status: number;
  title: string;
  /** Trusted HTML: every interpolated value must already be escaped. */
  body: string;
  /** A script run with the page's nonce; its data goes in `data` (read from #page-data). */
  script?: string;
  data?: unknown;
  cookies?: string[];
}

export function htmlPage(o: PageOptions): LtiResponse {
  const nonce = randomBytes(16).toString('base64');
  const data = o.data === undefined ? '' : `<script type="application/json" id="page-data">${jsonForScript(o.data)}</script>`;
  const script = o.script ? `<script nonce="${nonce}">${o.script}</script>` : '';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(o.title)} · EdHub</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main>${o.body}</main>${data}${script}</body></html>
`;
  return {
    status: o.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors *`,
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'unsafe-none',
      'Referrer-Policy': 'no-referrer',
    },
    cookies: o.cookies,
    body,
  };
}

export function definitionList(rows: [string, string | null | undefined][]): string {
  const items = rows
    .filter((r): r is [string, string] => r[1] !== null && r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return `<dl>${items}</dl>`;
}
