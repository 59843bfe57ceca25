import { createAuthoriser } from './authoriser.js';
import { servesV1p1Paths, serviceBaseUrl } from './base-url.js';
import { checkListQuery, type ListQuery, pageQuery } from './collection-query.js';
import { httpError, OneRosterClientError, snippet } from './errors.js';
import { type HttpMethod, type OneRosterClientOptions, type OneRosterService, resolveOptions } from './options.js';
import { pageThrough } from './paging.js';
import { collectionIn, objectIn, type Row } from './response-key.js';
import { createTransport, type ReceivedResponse } from './transport.js';

export interface OneRosterResponse {
  status: number;
  /** Parsed JSON; null for an empty body; the text when the body is not JSON. */
  body: unknown;
  headers: Headers;
}

export interface OneRosterClient {
  /**
   * Every record of a collection, page after page (see paging.ts). `path` is the service path, e.g.
   * '/users' or '/classes/c1/students' (oneRosterPath encodes ids). Each iteration starts afresh.
   */
  list(service: OneRosterService, path: string, q?: ListQuery): AsyncIterable<Row>;
  /** One object, unwrapped from its top-level key (`user`, `org`, `demographics`, …). */
  get(service: OneRosterService, path: string): Promise<Row>;
  /**
   * Any call, e.g. the gradebook writes: PUT answers 201 (or 200 on an edit), DELETE 204 (or 200)
   * (fact sheet §2.2). `body` is sent as JSON. A non-2xx throws OneRosterClientError.
   */
  request(method: HttpMethod, service: OneRosterService, path: string, body?: unknown): Promise<OneRosterResponse>;
}

export function createOneRosterClient(options: OneRosterClientOptions): OneRosterClient {
  const o = resolveOptions(options);
  const send = createTransport(o);
  const auth = createAuthoriser(o, send);

  function endpoint(service: OneRosterService, path: string, query = ''): URL {
    if (!path.startsWith('/') || /[?#]/.test(path)) throw new TypeError(`OneRoster path must start with '/' and carry no query: ${path}`);
    return new URL(`${serviceBaseUrl(o.baseUrl, o.version, service)}${path}${query ? `?${query}` : ''}`);
  }

  /** One request whose answer must be a 2xx. */
  async function call(method: HttpMethod, url: URL, body?: unknown): Promise<ReceivedResponse> {
    const res = await send({
      method,
      url,
      auth,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (res.status >= 300 && res.status <= 399) {
      const location = res.headers.get('location') ?? '(no Location)';
      throw new OneRosterClientError(
        { code: 'http_error', status: res.status, url: url.href, method },
        `${method} ${url.href} answered ${res.status}, a redirect to ${location}; redirects are not followed (they would carry the credentials): configure the final URL`,
      );
    }
    if (res.status < 200 || res.status > 299) throw httpError(method, url.href, res.status, res.bytes, res.retries);
    return res;
  }

  async function getJson(url: URL): Promise<{ json: unknown; headers: Headers }> {
    const res = await call('GET', url);
    try {
      return { json: JSON.parse(new TextDecoder().decode(res.bytes)), headers: res.headers };
    } catch {
      throw invalidResponse(url, res.status, `the body is not JSON: ${snippet(res.bytes)}`);
    }
  }

  return {
    list(service, path, q = {}) {
      endpoint(service, path); // path errors surface here, not at the first page
      checkListQuery(q, servesV1p1Paths(serviceBaseUrl(o.baseUrl, o.version, service)));
      return {
        [Symbol.asyncIterator]: () =>
          pageThrough({
            urlAt: (offset) => endpoint(service, path, pageQuery(q, o.pageSize, offset)),
            async fetchPage(url) {
              const { json, headers } = await getJson(url);
              const rows = collectionIn(json, path);
              if (typeof rows === 'string') throw invalidResponse(url, 200, rows);
              return { rows, headers };
            },
          }),
      };
    },

    async get(service, path) {
      const url = endpoint(service, path);
      const { json } = await getJson(url);
      const row = objectIn(json);
      if (typeof row === 'string') throw invalidResponse(url, 200, row);
      return row;
    },

    async request(method, service, path, body) {
      const res = await call(method, endpoint(service, path), body);
      const text = new TextDecoder().decode(res.bytes);
      let parsed: unknown = text === '' ? null : text;
      try {
        if (text !== '') parsed = JSON.parse(text);
      } catch {
        // Not JSON: the text itself is the most useful thing to hand back.
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

function invalidResponse(url: URL, status: number, problem: string): OneRosterClientError {
  return new OneRosterClientError({ code: 'invalid_response', status, url: url.href, method: 'GET' }, `GET ${url.href}: ${problem}`);
}
