import { createAuthoriser } from './authoriser.js';
import { serviceBaseUrl } from './base-url.js';
import { tryJson } from './errors.js';
import { type HttpMethod, type OneRosterClientOptions, type OneRosterService, resolveOptions } from './options.js';
import { createTransport } from './transport.js';

export interface RawOneRosterRequest {
  method: HttpMethod;
  service: OneRosterService;
  /** The service path, e.g. '/users' (oneRosterPath encodes ids); no query. */
  path: string;
  /** The query string as sent (already percent-encoded), without '?'. */
  query?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** False: no Authorization header at all (to see what the provider does without one). Default true. */
  authorise?: boolean;
  /** Extra headers; an `authorization` here replaces the configured credential (to send a bogus one). */
  headers?: Record<string, string>;
}

export interface RawOneRosterResponse {
  method: HttpMethod;
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
  /** From the first attempt to the last byte, retries included. */
  ms: number;
  retries: number;
}

/**
 * The client's transport (auth, retries after 429/5xx, timeouts, size cap) without its opinions:
 * every status comes back as it is, with its headers and body. For tools that judge a provider's
 * answers (the conformance suite) rather than consume them. A network failure, or an OAuth 2 token
 * request that fails, still throws OneRosterClientError (`network_error`, `token_error`).
 */
export function createRawOneRosterRequester(options: OneRosterClientOptions): (request: RawOneRosterRequest) => Promise<RawOneRosterResponse> {
  const o = resolveOptions(options);
  const send = createTransport(o);
  const auth = createAuthoriser(o, send);
  return async (request) => {
    if (!request.path.startsWith('/') || /[?#]/.test(request.path))
      throw new TypeError(`OneRoster path must start with '/' and carry no query: ${request.path}`);
    const url = new URL(`${serviceBaseUrl(o.baseUrl, o.version, request.service)}${request.path}${request.query ? `?${request.query}` : ''}`);
    const replaced = request.headers && Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization');
    const started = performance.now();
    const res = await send({
      method: request.method,
      url,
      ...(request.authorise === false || replaced ? {} : { auth }),
      headers: { ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = new TextDecoder().decode(res.bytes);
    return {
      method: request.method,
      url: url.href,
      status: res.status,
      headers: res.headers,
      text,
      json: tryJson(res.bytes),
      ms: Math.round(performance.now() - started),
      retries: res.retries,
    };
  };
}
