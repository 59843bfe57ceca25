/**
 * One LTI 1.3 launch through the simulated browser, one request at a time so that each step is
 * timed on its own: login initiation → (302) the platform's auth endpoint → (auto-submitted form)
 * id_token + state POSTed to the tool → the tool's landing page. Every step checks what a browser
 * would need to go on, and the last page must name the launching user: anything else is a failure.
 */
import { decodeEntities, findForm, isAutoSubmitting } from '../../conformance/lti/browser/html-form.js';
import type { BenchBrowser, BrowserPage } from './lti-browsers.js';
import type { StepName, ToolKind } from './lti-messages.js';

export type LaunchOutcome = { ok: true; stepMs: Partial<Record<StepName, number>>; totalMs: number } | { ok: false; reason: string };

export interface LaunchExpectations {
  /** The platform's auth endpoint: where the tool's login must redirect. */
  authEndpoint: string;
  /** The launching user's name, which the landing page must show. */
  userName: string;
}

class StepFailure extends Error {}

function fail(message: string): never {
  throw new StepFailure(message);
}

/** What a page says, for an error reason: its text without head, scripts and tags (an error page's title and code). */
const snippet = (body: string) =>
  body
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);

function redirectTarget(page: BrowserPage, step: StepName): string {
  const location = page.location;
  if (page.status < 300 || page.status >= 400 || !location) fail(`${step}: HTTP ${page.status}, expected a redirect: ${snippet(page.body)}`);
  return new URL(location, page.url).toString();
}

function expectPage(page: BrowserPage, step: StepName, marker: string): void {
  if (page.status !== 200 || !page.body.includes(marker)) fail(`${step}: HTTP ${page.status}, expected a page showing ${marker}: ${snippet(page.body)}`);
}

export async function browseLaunch(browser: BenchBrowser, kind: ToolKind, loginUrl: string, expect: LaunchExpectations): Promise<LaunchOutcome> {
  const stepMs: Partial<Record<StepName, number>> = {};
  const step = async (name: StepName, url: string, init?: { method: string; form: Record<string, string> }) => {
    const started = performance.now();
    const page = await browser.request(url, init);
    stepMs[name] = performance.now() - started;
    return page;
  };
  const started = performance.now();
  try {
    const login = await step('login', loginUrl);
    const authUrl = redirectTarget(login, 'login');
    if (!authUrl.startsWith(`${expect.authEndpoint}?`)) fail(`login: redirected to ${authUrl.slice(0, 120)}, not to the platform's auth endpoint`);

    const auth = await step('auth', authUrl);
    const form = auth.status === 200 && isAutoSubmitting(auth.body) ? findForm(auth.body, auth.url) : undefined;
    if (form?.method !== 'POST') fail(`auth: HTTP ${auth.status} without an auto-submitting form: ${snippet(auth.body)}`);
    // The platform refuses an authentication request by posting `error` back to the tool (OIDC form_post).
    if (form.fields.error !== undefined) fail(`auth: the platform refused the request: ${form.fields.error} ${form.fields.error_description ?? ''}`);
    if (!form.fields.id_token || !form.fields.state) fail('auth: the form carries no id_token or state');

    const launched = await step('launch', form.action, { method: 'POST', form: form.fields });
    switch (kind) {
      case 'stub':
        if (launched.status !== 200) fail(`launch: HTTP ${launched.status}: ${snippet(launched.body)}`);
        break;
      case 'edhub': {
        // EdHub answers the launch with the landing page itself; its "this page" link is the landing
        // page a browser returns to (GET /lti/landing?ltik=…), what ltijs's redirect leads to.
        const welcome = `Welcome, ${expect.userName}`;
        expectPage(launched, 'launch', welcome);
        const href = /href="([^"]*\/lti\/landing\?ltik=[^"]+)"/.exec(launched.body)?.[1];
        if (!href) fail('launch: the landing page has no link carrying the launch token (ltik)');
        expectPage(await step('landing', decodeEntities(href)), 'landing', welcome);
        break;
      }
      case 'ltijs':
        // ltijs answers the POST with a redirect to its app route carrying its launch token (ltik).
        expectPage(await step('landing', redirectTarget(launched, 'launch')), 'landing', `<p id="user">${expect.userName}</p>`);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown tool kind ${never}`);
      }
    }
    return { ok: true, stepMs, totalMs: performance.now() - started };
  } catch (err) {
    if (err instanceof StepFailure) return { ok: false, reason: err.message };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const at = Object.keys(stepMs).length;
    return { ok: false, reason: `request ${at + 1} of the launch failed: ${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}` };
  }
}
