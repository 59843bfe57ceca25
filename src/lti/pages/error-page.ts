import type { LtiResponse } from '../http-types.js';
import { escapeHtml, htmlPage } from './html.js';

/**
 * The page every LTI failure ends on: what went wrong in general terms, the stable code and the
 * request id to quote to an administrator — never the detail, which may quote attacker input.
 */
export function errorPage(e: { status: number; title: string; code: string; check: string }, requestId: string, cookies?: string[]): LtiResponse {
  return htmlPage({
    status: e.status,
    title: e.title,
    cookies,
    body: `<h1>${escapeHtml(e.title)}</h1>
<p>EdHub could not complete this LTI request. If it happens again, give your administrator the details below.</p>
<p class="muted">error <code id="lti-error-code">${escapeHtml(e.code)}</code> (check <code>${escapeHtml(e.check)}</code>) · request <code>${escapeHtml(requestId)}</code></p>`,
  });
}
