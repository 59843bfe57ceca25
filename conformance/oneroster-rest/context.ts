import type { RawOneRosterRequest, RawOneRosterResponse } from '../../src/oneroster/client/index.js';
import { percentEncode } from '../../src/oneroster/client/percent-encode.js';
import { parseStatusInfo, type StatusInfo } from '../../src/oneroster/client/status-info.js';
import { discoveryDocumentFor } from '../../src/oneroster/rest/openapi/documents.js';
import { createSchemaValidator, type OneRosterSchemaValidator } from '../../src/oneroster/rest/openapi/schema-validator.js';
import { type EndpointDef, type EntityDef, endpointsOf, entityOf, type Method, type RestVersion, type Service } from '../../src/oneroster/rest/rest-tables.js';
import { check } from './case.js';
import type { ResolvedSuiteOptions } from './options.js';

export type Rec = Record<string, unknown>;
export type Query = Record<string, string | number>;
/** Which credential a request goes with: the main one, the limited one, none, or a deliberately wrong one. */
export type Credential = 'main' | 'limited' | 'none' | 'wrong';

export interface Exchange extends RawOneRosterResponse {
  credential: Credential;
}

export type Requester = (request: RawOneRosterRequest) => Promise<RawOneRosterResponse>;

export interface Requesters {
  main: Requester;
  limited?: Requester;
  /** The main identity with a wrong secret (OAuth 1.0a) — or undefined, and a bogus bearer token is sent. */
  wrong?: Requester;
}

/** Largest page the suite asks for when it reads a whole collection (SDS and Google use 10000, fact sheet §9). */
export const WALK_LIMIT = 10_000;

/**
 * What the cases share: the provider's answers (every exchange is logged, so header and timing
 * cases judge all of them), memoised reads so a collection is fetched once, the endpoint table of
 * the version and the schema validators of its discovery documents.
 */
export class SuiteContext {
  readonly log: Exchange[] = [];
  private readonly cache = new Map<string, Promise<Exchange>>();
  private readonly walks = new Map<string, Promise<Rec[]>>();
  private readonly validators = new Map<string, OneRosterSchemaValidator>();
  /** Shared between cases that build on each other (the gradebook write sequence). */
  readonly state = new Map<string, unknown>();

  constructor(
    readonly options: ResolvedSuiteOptions,
    private readonly requesters: Requesters,
  ) {}

  get version(): RestVersion {
    return this.options.version;
  }

  get hasLimited(): boolean {
    return this.requesters.limited !== undefined;
  }

  endpoints(method: Method = 'GET'): EndpointDef[] {
    return endpointsOf(this.version).filter((e) => e.method === method);
  }

  endpoint(method: Method, path: string): EndpointDef {
    const e = endpointsOf(this.version).find((x) => x.method === method && x.path === path);
    if (!e) throw new Error(`OneRoster ${this.version} has no ${method} ${path}`);
    return e;
  }

  entity(e: EndpointDef): EntityDef {
    return entityOf(e.entity, this.version);
  }

  validator(service: Service): OneRosterSchemaValidator {
    const doc = discoveryDocumentFor(this.version, service);
    let v = this.validators.get(doc.file);
    if (!v) {
      v = createSchemaValidator(doc.document);
      this.validators.set(doc.file, v);
    }
    return v;
  }

  async request(
    method: Method,
    service: Service,
    path: string,
    o: { query?: Query; body?: unknown; as?: Credential; headers?: Record<string, string> } = {},
  ): Promise<Exchange> {
    const as = o.as ?? 'main';
    const query = o.query ? encodeQuery(o.query) : undefined;
    const base = {
      method,
      service,
      path,
      ...(query ? { query } : {}),
      ...(o.body === undefined ? {} : { body: o.body }),
      ...(o.headers ? { headers: o.headers } : {}),
    };
    let res: RawOneRosterResponse;
    if (as === 'none') res = await this.requesters.main({ ...base, authorise: false });
    else if (as === 'wrong')
      res = this.requesters.wrong
        ? await this.requesters.wrong(base)
        : await this.requesters.main({ ...base, headers: { ...o.headers, authorization: 'Bearer edhub-conformance-not-a-token' } });
    else {
      const r = as === 'limited' ? this.requesters.limited : this.requesters.main;
      if (!r) throw new Error('no limited credential was given');
      res = await r(base);
    }
    const exchange = { ...res, credential: as };
    this.log.push(exchange);
    return exchange;
  }

  /** A GET with the main credential, made once per URL. */
  get(service: Service, path: string, query?: Query): Promise<Exchange> {
    const key = `${service} ${path}?${query ? encodeQuery(query) : ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.request('GET', service, path, query ? { query } : {});
      this.cache.set(key, p);
    }
    return p;
  }

  /** The first page (limit 100) of a collection path of the version, e.g. '/enrollments'. */
  async firstPage(path: string, query: Query = {}): Promise<Rec[]> {
    const e = this.endpoint('GET', path);
    const ex = await this.get(e.service, path, { limit: 100, ...query });
    return recordsOf(ex, this.entity(e).name);
  }

  /**
   * Every record of a collection path, read page by page with limit=10000 and offsets until a short
   * page (at most 10 pages: the suite judges behaviour, not volume).
   */
  everything(path: string, query: Query = {}): Promise<Rec[]> {
    const key = `${path}?${encodeQuery(query)}`;
    let p = this.walks.get(key);
    if (!p) {
      p = (async () => {
        const e = this.endpoint('GET', path);
        const out: Rec[] = [];
        for (let offset = 0, pages = 0; pages < 10; pages++, offset += WALK_LIMIT) {
          const ex = await this.get(e.service, path, { ...query, limit: WALK_LIMIT, offset });
          const page = recordsOf(ex, this.entity(e).name);
          out.push(...page);
          if (page.length < WALK_LIMIT) break;
        }
        return out;
      })();
      this.walks.set(key, p);
    }
    return p;
  }
}

/** `?a=b&…` with RFC 3986 encoding (quotes and spaces in filters as %27 and %20, fact sheet §6.3). */
export function encodeQuery(query: Query): string {
  return Object.entries(query)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`)
    .join('&');
}

/** The array under `key`, or the case fails saying what came instead. */
export function recordsOf(ex: Exchange, key: string): Rec[] {
  check(ex.status === 200, () => `${describe(ex)}`);
  const body = ex.json as Rec | undefined;
  const value = body?.[key];
  check(Array.isArray(value), () => `GET ${ex.url}: the body has no "${key}" array (keys: ${Object.keys(body ?? {}).join(', ') || 'none'})`);
  return value.filter((r): r is Rec => typeof r === 'object' && r !== null);
}

/** `GET url answered 404 unknownobject: …` — a one-line account of an exchange. */
export function describe(ex: Exchange): string {
  const info = statusInfo(ex);
  const detail = info ? ` ${[info.codeMinor, info.description].filter(Boolean).join(': ')}` : ex.text ? ` ${ex.text.slice(0, 160)}` : '';
  return `${ex.method} ${ex.url} answered ${ex.status}${detail}`;
}

/** The status-info of an error body, in any of the three envelopes (fact sheet §5.1). */
export function statusInfo(ex: Exchange): StatusInfo | undefined {
  return parseStatusInfo(ex.json);
}

export function refId(rec: Rec, field: string): string | undefined {
  const ref = rec[field] as Rec | undefined;
  return typeof ref?.sourcedId === 'string' ? ref.sourcedId : undefined;
}

export function text(rec: Rec, field: string): string | undefined {
  const v = rec[field];
  return typeof v === 'string' ? v : undefined;
}

/** A user's roles, whichever version's shape it has: 1.1 `role`, 1.2 `roles[].role`. */
export function rolesOf(user: Rec): string[] {
  const one = text(user, 'role');
  const many = Array.isArray(user.roles) ? (user.roles as Rec[]).map((r) => text(r, 'role')).filter((r): r is string => r !== undefined) : [];
  return one ? [one, ...many] : many;
}
