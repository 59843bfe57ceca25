import { CookieJar } from './cookie-jar.js';
import { findForm, isAutoSubmitting } from './html-form.js';

/** One HTTP exchange the simulated browser made. */
export interface Step {
  method: string;
  url: string;
  status: number;
  location?: string;
}

export interface Page {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

/** A response body beyond the user agent's `maxBodyBytes`. */
export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(readonly maxBytes: number) {
    super(`the response body is larger than ${maxBytes} bytes`);
  }
}

export interface UserAgentOptions {
  /** Time limit of each request, body included. Default: none. */
  timeoutMs?: number;
  /** Largest response body read. Default: no limit. */
  maxBodyBytes?: number;
}

/**
 * A minimal browser for driving LTI launches across the emulator and a tool on loopback: a cookie jar,
 * redirects followed as browsers do (303, and 301/302 after POST, become GET), pages that auto-submit
 * a form (the OIDC form_post, a Deep Linking return) submitted, and an Origin header on form POSTs (the
 * origin of the page the form came from, as browsers send it). Each instance is one browser with its
 * own cookies.
 */
export class UserAgent {
  readonly steps: Step[] = [];
  /** The last URL requested: the page a following form POST comes from. */
  protected lastUrl: string | undefined;

  constructor(
    readonly cookies: CookieJar = new CookieJar(),
    private readonly options: UserAgentOptions = {},
  ) {}

  /** One request, no redirects followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json;q=0.9', ...init.headers };
    const cookie = this.cookies.header(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      if (this.lastUrl && !Object.keys(headers).some((h) => h.toLowerCase() === 'origin')) headers.origin = new URL(this.lastUrl).origin;
      body = new URLSearchParams(init.form).toString();
    }
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const signal = this.options.timeoutMs === undefined ? undefined : AbortSignal.timeout(this.options.timeoutMs);
    const res = await fetch(target, { method, headers, body, redirect: 'manual', signal });
    const text = this.options.maxBodyBytes === undefined ? await res.text() : await readBounded(res, this.options.maxBodyBytes);
    this.cookies.store(target, res.headers.getSetCookie());
    const location = res.headers.get('location');
    this.steps.push({ method, url: target.toString(), status: res.status, ...(location ? { location } : {}) });
    this.lastUrl = target.toString();
    return { status: res.status, url: target.toString(), headers: res.headers, body: text };
  }

  /** Requests `url` and keeps going through redirects and auto-submitting forms until a page needs a person (or `maxSteps`). */
  async navigate(url: string, init: { method?: string; form?: Record<string, string> } = {}, maxSteps = 20): Promise<Page> {
    let page = await this.request(url, init);
    for (let n = 1; n < maxSteps; n++) {
      const location = page.headers.get('location');
      if (page.status >= 300 && page.status < 400 && location) {
        const keepMethod = page.status === 307 || page.status === 308;
        page = await this.request(new URL(location, page.url).toString(), keepMethod ? init : {});
        continue;
      }
      if (page.status === 200 && isAutoSubmitting(page.body)) {
        const form = findForm(page.body, page.url);
        if (!form) return page;
        init = form.method === 'POST' ? { method: 'POST', form: form.fields } : {};
        page = await this.request(form.method === 'POST' ? form.action : withQuery(form.action, form.fields), init);
        continue;
      }
      return page;
    }
    throw new Error(`navigation did not settle after ${maxSteps} steps: ${this.steps.map((s) => `${s.method} ${s.url} → ${s.status}`).join(' | ')}`);
  }
}

function withQuery(action: string, fields: Record<string, string>): string {
  const url = new URL(action);
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  return url.toString();
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
