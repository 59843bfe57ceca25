import { type Page, ResponseTooLarge, UserAgent } from '../browser/user-agent.js';
import type { Observation } from './classify.js';

/** The browser was sent to an origin that is neither the tool's nor the platform's. */
export class OffSiteNavigation extends Error {
  override readonly name = 'OffSiteNavigation';
  constructor(
    readonly from: string,
    readonly location: string,
  ) {
    super(`not following ${from} → ${location}: outside the tool and the platform`);
  }
}

export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
  }
}

export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(`${detail} (${url})`);
  }
}

export interface BrowserLimits {
  /** Per request, body included. */
  timeoutMs: number;
  /** Origins the browser may visit: the tool's and the platform's. */
  allowedOrigins: ReadonlySet<string>;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Requests per navigation before it counts as a loop. Default 20. */
  maxSteps?: number;
}

/** A page reached, or why none was. */
export type Visit = { kind: 'page'; page: Page } | Exclude<Observation, { kind: 'response' }>;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_STEPS = 20;

/**
 * The simulated browser (browser/user-agent.ts) with what a run against an unknown tool needs: a
 * timeout on every request, a cap on response bodies, no visits outside the tool's and the platform's
 * origins, failures named for the case report, and a record of which form fields each POST carried
 * (to tell whether an id_token ever reached the tool).
 */
export class SuiteBrowser extends UserAgent {
  /** Form POSTs made: where, and the names of the fields (not their values, which are tokens). */
  readonly posts: { url: string; fields: string[] }[] = [];

  constructor(private readonly limits: BrowserLimits) {
    super(undefined, { timeoutMs: limits.timeoutMs, maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
  }

  override async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    if (!this.limits.allowedOrigins.has(target.origin)) throw new OffSiteNavigation(this.lastUrl ?? url, target.toString());
    if (init.form) this.posts.push({ url: target.toString(), fields: Object.keys(init.form) });
    try {
      return await super.request(url, init);
    } catch (err) {
      throw this.failure(err, target.toString());
    }
  }

  /** Follows the tool's redirects and auto-submitting forms from `url` to the page that needs a person. */
  async visit(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Visit> {
    const maxSteps = this.limits.maxSteps ?? DEFAULT_MAX_STEPS;
    try {
      return { kind: 'page', page: await this.navigate(url, init, maxSteps) };
    } catch (err) {
      if (err instanceof OffSiteNavigation) return { kind: 'left-tool', url: err.from, location: err.location };
      if (err instanceof RequestTimeout) return { kind: 'timeout', url: err.url, timeoutMs: err.timeoutMs };
      if (err instanceof NetworkFailure) return { kind: 'network-error', url: err.url, message: err.detail };
      // UserAgent.navigate's own error when the steps run out: redirects (or auto-submitting forms) in a loop.
      if (err instanceof Error && err.message.startsWith('navigation did not settle')) {
        return { kind: 'redirect-loop', url: this.steps.at(-1)?.url ?? url, steps: maxSteps };
      }
      throw err;
    }
  }

  private failure(err: unknown, url: string): Error {
    if (err instanceof NetworkFailure) return err;
    if (err instanceof ResponseTooLarge) return new NetworkFailure(url, err.message);
    const e = err as { name?: string; message?: string; cause?: Cause };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new RequestTimeout(url, this.limits.timeoutMs);
    return new NetworkFailure(url, describeCause(e?.cause) ?? e?.message ?? 'the request failed');
  }
}

interface Cause {
  code?: string;
  message?: string;
  errors?: Cause[];
}

/** undici's "fetch failed" carries the socket error as its cause (an AggregateError when several addresses were tried). */
function describeCause(cause: Cause | undefined): string | undefined {
  if (!cause) return undefined;
  const message = cause.message || cause.errors?.[0]?.message || '';
  const code = cause.code ?? cause.errors?.[0]?.code;
  if (code && !message.includes(code)) return `${code} ${message}`.trim();
  return message || code;
}
