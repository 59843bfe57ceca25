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

/**
 * A minimal browser for driving LTI launches across the emulator and a tool on loopback: a cookie jar,
 * redirects followed as browsers do (303, and 301/302 after POST, become GET), and pages that
 * auto-submit a form (the OIDC form_post, a Deep Linking return) submitted. Each instance is one
 * browser with its own cookies.
 */
export class UserAgent {
  readonly steps: Step[] = [];

  constructor(readonly cookies: CookieJar = new CookieJar()) {}

  /** One request, no redirects followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json;q=0.9', ...init.headers };
    const cookie = this.cookies.header(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const method = init.method ?? (init.form ? 'POST' : 'GET');
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    this.cookies.store(target, res.headers.getSetCookie());
    const text = await res.text();
    this.steps.push({
      method,
      url: target.toString(),
      status: res.status,
      ...(res.headers.get('location') ? { location: res.headers.get('location') as string } : {}),
    });
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
