/**
 * The simulated browsers a benchmark can drive launches with. LeanBrowser is a leaner stand-in for
 * conformance/lti/browser/UserAgent under load: the same cookie jar (one per virtual browser) and the
 * same one-request-no-redirects contract, over node:http with keep-alive connections of its own
 * instead of fetch. Measured against the stub tool, a launch cost the driver 4.1–4.4 ms of CPU with
 * fetch and 3.0–3.1 ms with this (emulator included); on two shared cores every millisecond the
 * driver burns is one the tool under test does not get. `--client user-agent` runs the benchmark with
 * the UserAgent itself, for comparison.
 */
import { Agent, request } from 'node:http';
import { CookieJar } from '../../conformance/lti/browser/cookie-jar.js';
import { UserAgent } from '../../conformance/lti/browser/user-agent.js';

/** What a launch step needs of a response. */
export interface BrowserPage {
  status: number;
  url: string;
  location: string | undefined;
  body: string;
}

/** One request, no redirects followed; GET, or a form POST. */
export interface BenchBrowser {
  request(url: string, init?: { method: string; form: Record<string, string> }): Promise<BrowserPage>;
  close(): void;
}

export class LeanBrowser implements BenchBrowser {
  private readonly cookies = new CookieJar();
  // One browser: one connection per origin is all a sequential launch uses.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  request(url: string, init?: { method: string; form: Record<string, string> }): Promise<BrowserPage> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json;q=0.9' };
    const cookie = this.cookies.header(target);
    if (cookie) headers.cookie = cookie;
    const body = init ? new URLSearchParams(init.form).toString() : undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = request(target, { method: init?.method ?? 'GET', headers, agent: this.agent }, (res) => {
        const setCookie = res.headers['set-cookie'];
        if (setCookie) this.cookies.store(target, setCookie);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, url: target.toString(), location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The conformance suite's UserAgent (fetch) behind the same interface. */
export function userAgentBrowser(): BenchBrowser {
  const agent = new UserAgent();
  return {
    async request(url, init) {
      const page = await agent.request(url, init);
      agent.steps.length = 0; // its history is for tests; a long run would only grow it
      return { status: page.status, url: page.url, location: page.headers.get('location') ?? undefined, body: page.body };
    },
    close() {},
  };
}
