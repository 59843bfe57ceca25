import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleRoute } from './fake-oneroster-handlers.js';
import { type ErrorEnvelope, errorResponse, type FakeResponse, FakeStatusError, readRequestBody, unknownObject } from './fake-oneroster-http.js';
import { createOAuth1Verifier } from './fake-oneroster-oauth1.js';
import { createOAuth2Fake } from './fake-oneroster-oauth2.js';
import { FieldRegistry, type Row } from './fake-oneroster-query.js';
import { matchRoute, type Service } from './fake-oneroster-routes.js';

/**
 * A small, stateful OneRoster REST provider on loopback, for testing consumers against the behaviour
 * providers are documented to have (shared/standards/oneroster.md §1–§6, §9–§10) rather than against
 * echoes. Quirks switch on the awkward behaviour met in the wild.
 */
export interface FakeProviderQuirks {
  /** No X-Total-Count (many providers, fact sheet §10.3). */
  omitTotalCount?: boolean;
  /** No Link header (§10.3). */
  omitLinkHeader?: boolean;
  /** Every nth resource request answers 429 server_busy with Retry-After (ClassLink, §9.3). */
  throttle?: { everyNthRequest: number; retryAfterSeconds: number };
  /** The shape of error bodies (§5.1). Default: unwrapped, as the OAS declares. */
  errorEnvelope?: ErrorEnvelope;
  /** Largest page served whatever `limit` asks (Ed-Fi: 500). Default 10000. */
  maxLimit?: number;
  /** A bearer token stops working after this many uses: token rotation under a running sync. */
  revokeTokenAfterRequests?: number;
  /** Beyond the brief's list: every page starts at offset 0, whatever was asked. */
  ignoreOffset?: boolean;
  /** Beyond the brief's list: Link targets as path-absolute references (`/ims/…`) instead of URLs. */
  relativeLinks?: boolean;
  /**
   * Collections (by path below the service base, e.g. `/demographics`) answered 403 forbidden: a token
   * without the scope they need (fact sheet §6.1: demographics have a scope of their own).
   */
  forbiddenPaths?: string[];
  /**
   * A hook for one-off hostile answers (a 500 on the third page, a body that is not JSON, a huge body):
   * called for every authenticated resource request with the path below the service base and the query;
   * a response returned is sent instead of the endpoint's.
   */
  intercept?: (request: { method: string; path: string; query: URLSearchParams }) => FakeResponse | undefined;
}

export interface FakeProviderOptions {
  /** 1.1 answers an unknown parent on nested routes with 200 and []; 1.2 with 404 (fact sheet §10.11). */
  version: '1.1' | '1.2';
  /** `v1p1`: one base `/ims/oneroster/v1p1`; `v1p2`: `/ims/oneroster/{service}/v1p2` (fact sheet §1). */
  paths: 'v1p1' | 'v1p2';
  auth: 'oauth2' | 'oauth1';
  /** For oauth1, the consumer key and secret. */
  clientId: string;
  clientSecret: string;
  /** Default 3600. */
  tokenTtlSeconds?: number;
  /** Collection name → REST JSON objects. Copied: later changes go through setData or the API. */
  data: Record<string, Array<Record<string, unknown>>>;
  quirks?: FakeProviderQuirks;
  /** The fake's clock, for token expiry and OAuth 1.0a timestamps. Default: the real one. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeOneRosterProvider {
  /** http://127.0.0.1:port */
  url: string;
  /** …/ims/oneroster */
  baseUrl: string;
  /** Every request, the token endpoint's included, in arrival order. */
  requests: RecordedRequest[];
  /** POSTs to /oauth/token so far. */
  readonly tokenRequests: number;
  setData(collection: string, rows: Array<Record<string, unknown>>): void;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/oauth/token';

export async function startFakeOneRosterProvider(o: FakeProviderOptions): Promise<FakeOneRosterProvider> {
  const now = o.now ?? (() => new Date());
  const quirks = o.quirks ?? {};
  const envelope = quirks.errorEnvelope ?? 'unwrapped';
  const data = new Map<string, Row[]>(Object.entries(o.data).map(([name, rows]) => [name, structuredClone(rows)]));
  const fields = new FieldRegistry();
  for (const [name, rows] of data) fields.note(name, rows);
  const requests: RecordedRequest[] = [];
  let tokenRequests = 0;
  let resourceRequests = 0;

  const oauth2 =
    o.auth === 'oauth2'
      ? createOAuth2Fake({
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          tokenTtlSeconds: o.tokenTtlSeconds ?? 3600,
          revokeTokenAfterRequests: quirks.revokeTokenAfterRequests,
          now,
        })
      : undefined;
  const oauth1 = o.auth === 'oauth1' ? createOAuth1Verifier({ consumerKey: o.clientId, consumerSecret: o.clientSecret, now }) : undefined;
  const handlerContext = {
    data,
    fields,
    version: o.version,
    now,
    omitTotalCount: quirks.omitTotalCount === true,
    omitLinkHeader: quirks.omitLinkHeader === true,
    relativeLinks: quirks.relativeLinks === true,
    ignoreOffset: quirks.ignoreOffset === true,
    maxLimit: quirks.maxLimit ?? 10_000,
  };

  /** Gateway first (throttling), then authentication, then the endpoint: the order real providers check in. */
  async function handle(req: IncomingMessage, url: URL): Promise<FakeResponse> {
    const method = req.method ?? 'GET';
    if (url.pathname === TOKEN_PATH && oauth2) {
      tokenRequests++;
      return oauth2.tokenEndpoint(method, req.headers.authorization, req.headers['content-type'], await readRequestBody(req));
    }
    throttle();
    if (oauth2) oauth2.verifyBearer(req.headers.authorization);
    if (oauth1) oauth1(method, req.headers.host ?? '', req.url ?? '/', req.headers.authorization);
    const { service, path } = locate(url.pathname, o.paths);
    const intercepted = quirks.intercept?.({ method, path, query: url.searchParams });
    if (intercepted) return intercepted;
    if (quirks.forbiddenPaths?.includes(path)) throw new FakeStatusError(403, 'forbidden', `the token's scopes do not cover ${path}`);
    const body = method === 'PUT' || method === 'POST' ? await readRequestBody(req) : '';
    return handleRoute(handlerContext, method, matchRoute(service, path), url, body);
  }

  function throttle(): void {
    resourceRequests++;
    const t = quirks.throttle;
    if (t && resourceRequests % t.everyNthRequest === 0) {
      throw new FakeStatusError(429, 'server_busy', 'too many requests; retry later', { 'retry-after': String(t.retryAfterSeconds) });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    handle(req, url)
      .catch((error: unknown) =>
        errorResponse(envelope, error instanceof FakeStatusError ? error : new FakeStatusError(500, 'internal_server_error', String(error))),
      )
      .then((response) => {
        requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: response.status });
        write(res, response);
      })
      .catch((error: unknown) => res.destroy(error instanceof Error ? error : undefined));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    baseUrl: `${origin}/ims/oneroster`,
    requests,
    get tokenRequests() {
      return tokenRequests;
    },
    setData(collection, rows) {
      data.set(collection, structuredClone(rows));
      fields.note(collection, rows);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The service and the path below its base, for the path layout the fake was told to serve. */
function locate(pathname: string, paths: 'v1p1' | 'v1p2'): { service: Service | 'any'; path: string } {
  if (paths === 'v1p1') {
    const m = /^\/ims\/oneroster\/v1p1(\/.*)?$/.exec(pathname);
    if (m) return { service: 'any', path: m[1] ?? '/' };
  } else {
    const m = /^\/ims\/oneroster\/(rostering|gradebook|resources)\/v1p2(\/.*)?$/.exec(pathname);
    if (m) return { service: m[1] as Service, path: m[2] ?? '/' };
  }
  throw unknownObject(`no endpoint ${pathname}`);
}

function write(res: ServerResponse, response: FakeResponse): void {
  const headers = { ...response.headers };
  if (response.raw !== undefined) {
    res.writeHead(response.status, headers).end(response.raw);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const body = Buffer.from(JSON.stringify(response.body));
  res.writeHead(response.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) }).end(body);
}
