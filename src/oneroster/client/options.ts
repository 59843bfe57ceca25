/**
 * Configuration of the OneRoster REST consumer: one object, validated once at construction, every
 * default written down here (STYLE: "configuration is one validated object").
 */

export type OneRosterVersion = '1.1' | '1.2';
export type OneRosterService = 'rostering' | 'gradebook' | 'resources';
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/**
 * How the consumer authenticates (fact sheet §6): OAuth 2 client credentials for 1.2 (and for many 1.1
 * providers: SDS, Aeries), OAuth 1.0a HMAC-SHA1 for the original 1.1 binding (ClassLink, Moodle's consumer).
 */
export type OneRosterAuth =
  | { kind: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string }
  | { kind: 'oauth1'; consumerKey: string; consumerSecret: string };

export interface RequestEvent {
  method: string;
  url: string;
  status: number | 'network-error';
  /** 1 for the first try of a request, 2 for its first retry, and so on. */
  attempt: number;
  ms: number;
}

export interface OneRosterClientOptions {
  /** See base-url.ts for the four accepted forms. */
  baseUrl: string;
  version: OneRosterVersion;
  auth: OneRosterAuth;
  /** `limit` asked for on collection GETs. Default 100 (the spec default, fact sheet §3); at most 10000. */
  pageSize?: number;
  /** Retries after a 429/502/503/504 or a network error or timeout. Default 5. */
  maxRetries?: number;
  /** Per attempt, covering the response body too. Default 30000 (SDS's own response-time limit, §9.2). */
  timeoutMs?: number;
  /** Largest response body read, in bytes. Default 64 MiB; a larger one fails with code `too_large`. */
  maxResponseBytes?: number;
  /**
   * Plain `http:` is refused for anything but loopback unless this is set: bearer tokens and client
   * secrets must travel over TLS (RFC 6749 §2.3.1, RFC 6750 §5.3).
   */
  allowInsecureHttp?: boolean;
  /** Swap the transport, e.g. for one that enforces an outbound address policy. Default: global fetch. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** In [0, 1); feeds the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Called once per HTTP attempt (token requests included), for logging and metrics. */
  onRequest?: (event: RequestEvent) => void;
}

export interface ResolvedOptions {
  baseUrl: string;
  version: OneRosterVersion;
  auth: OneRosterAuth;
  pageSize: number;
  maxRetries: number;
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  random: () => number;
  onRequest: (event: RequestEvent) => void;
}

export const DEFAULTS = {
  pageSize: 100,
  maxPageSize: 10_000,
  maxRetries: 5,
  timeoutMs: 30_000,
  maxResponseBytes: 64 * 1024 * 1024,
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function resolveOptions(o: OneRosterClientOptions): ResolvedOptions {
  if (o.version !== '1.1' && o.version !== '1.2') throw new TypeError(`OneRoster client: version must be '1.1' or '1.2', got ${String(o.version)}`);
  checkUrl('baseUrl', o.baseUrl, o.allowInsecureHttp === true);
  if (o.auth.kind === 'oauth2') {
    checkUrl('auth.tokenUrl', o.auth.tokenUrl, o.allowInsecureHttp === true);
    if (!o.auth.clientId || !o.auth.clientSecret) throw new TypeError('OneRoster client: oauth2 needs clientId and clientSecret');
  } else if (o.auth.kind === 'oauth1') {
    if (!o.auth.consumerKey || !o.auth.consumerSecret) throw new TypeError('OneRoster client: oauth1 needs consumerKey and consumerSecret');
  } else {
    throw new TypeError(`OneRoster client: unknown auth kind ${String((o.auth as { kind: unknown }).kind)}`);
  }
  return {
    baseUrl: o.baseUrl,
    version: o.version,
    auth: o.auth,
    pageSize: integerIn('pageSize', o.pageSize ?? DEFAULTS.pageSize, 1, DEFAULTS.maxPageSize),
    maxRetries: integerIn('maxRetries', o.maxRetries ?? DEFAULTS.maxRetries, 0, 100),
    timeoutMs: integerIn('timeoutMs', o.timeoutMs ?? DEFAULTS.timeoutMs, 1, 3_600_000),
    maxResponseBytes: integerIn('maxResponseBytes', o.maxResponseBytes ?? DEFAULTS.maxResponseBytes, 1, Number.MAX_SAFE_INTEGER),
    fetch: o.fetch ?? globalThis.fetch,
    sleep: o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: o.now ?? (() => new Date()),
    random: o.random ?? Math.random,
    onRequest: o.onRequest ?? (() => {}),
  };
}

function checkUrl(name: string, value: string, allowInsecureHttp: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`OneRoster client: ${name} is not an absolute URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`OneRoster client: ${name} must be http(s), got ${url.protocol}`);
  if (url.protocol === 'http:' && !allowInsecureHttp && !LOOPBACK.has(url.hostname)) {
    throw new TypeError(`OneRoster client: ${name} uses plain http to ${url.hostname}; credentials need TLS (set allowInsecureHttp to override)`);
  }
  if (url.search || url.hash) throw new TypeError(`OneRoster client: ${name} must not carry a query or fragment: ${value}`);
  if (url.username || url.password) throw new TypeError(`OneRoster client: ${name} must not carry credentials; use auth`);
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new TypeError(`OneRoster client: ${name} must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}
