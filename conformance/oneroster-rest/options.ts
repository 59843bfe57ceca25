import type { RestVersion } from '../../src/oneroster/rest/rest-tables.js';

/**
 * What `edhub conformance oneroster-rest` can be told. Every default is written here and nowhere else.
 *
 * | option | flag | default |
 * |---|---|---|
 * | baseUrl | `--base-url <url>` | required: the provider's root, e.g. https://host/ims/oneroster (the suite derives each service base per version, src/oneroster/client/base-url.ts) |
 * | clientId, clientSecret | `--client-id`, `--client-secret` | required: an OAuth 2 client (or OAuth 1.0a consumer key and secret) of the provider |
 * | tokenUrl | `--token-url <url>` | `{origin of baseUrl}/oauth/token` (EdHub's; vendors differ, fact sheet §6.2, so it is a flag) |
 * | version | `--version 1.1\|1.2` | 1.2 |
 * | auth | `--auth oauth2\|oauth1` | oauth2 (oauth1 is 1.1 only) |
 * | scopes | `--scopes "<scope> …"` | none: the token request names no scope, so the provider grants the client's (what SDS's collection sends; Google names its own) |
 * | limitedClientId, limitedClientSecret | `--limited-client-id`, `--limited-client-secret` | none: the 403 case is then "not run". A credential that holds roster-core.readonly (the suite asks for that scope alone) |
 * | writes | `--writes` | off: the gradebook PUT/DELETE cases change the provider's data, so they run only when allowed; they delete what they create |
 * | only, skip | `--only <ids>`, `--skip <ids>` (comma-separated) | all cases. An id selects itself, `area` or `area.*` a whole area, `prefix*` every id it starts |
 * | timeoutMs | `--timeout-ms <n>` | 30000 per request (SDS's response-time limit, fact sheet §9.2) |
 * | json | `--json` | off: a table; on: the report as JSON |
 * | allowInsecureHttp | (none) | plain http only to loopback; true lets tests use other hosts |
 */
export interface OneRosterRestSuiteOptions {
  baseUrl: string;
  version?: RestVersion;
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
  scopes?: string[];
  auth?: 'oauth2' | 'oauth1';
  limitedClientId?: string;
  limitedClientSecret?: string;
  writes?: boolean;
  only?: string[];
  skip?: string[];
  timeoutMs?: number;
  allowInsecureHttp?: boolean;
  /** Injected for tests; default: global fetch. */
  fetch?: typeof fetch;
}

/** The CLI's flags, as the lead wires them (`only`/`skip`/`scopes` may come as one comma- or space-separated string). */
export interface OneRosterRestCommandOptions extends Omit<OneRosterRestSuiteOptions, 'only' | 'skip' | 'scopes'> {
  only?: string[] | string;
  skip?: string[] | string;
  scopes?: string[] | string;
  json?: boolean;
}

export interface ResolvedSuiteOptions {
  baseUrl: string;
  version: RestVersion;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scopes: string[];
  auth: 'oauth2' | 'oauth1';
  limited: { clientId: string; clientSecret: string } | undefined;
  writes: boolean;
  only: string[];
  skip: string[];
  timeoutMs: number;
  allowInsecureHttp: boolean;
  fetch: typeof fetch | undefined;
}

export const SUITE_DEFAULTS = { version: '1.2', auth: 'oauth2', timeoutMs: 30_000, tokenPath: '/oauth/token', limitedScope: 'roster-core.readonly' } as const;

/** An option the suite cannot run with: reported on stderr, exit code 2. */
export class SuiteOptionError extends Error {}

export function resolveSuiteOptions(o: OneRosterRestSuiteOptions): ResolvedSuiteOptions {
  const version = o.version ?? SUITE_DEFAULTS.version;
  if (version !== '1.1' && version !== '1.2') throw new SuiteOptionError(`--version must be 1.1 or 1.2, not ${String(version)}`);
  const auth = o.auth ?? SUITE_DEFAULTS.auth;
  if (auth !== 'oauth2' && auth !== 'oauth1') throw new SuiteOptionError(`--auth must be oauth2 or oauth1, not ${String(auth)}`);
  if (auth === 'oauth1' && version !== '1.1') throw new SuiteOptionError('--auth oauth1 is OneRoster 1.1 only; 1.2 requires OAuth 2.0 (fact sheet §6)');
  const base = url('--base-url', o.baseUrl);
  if (!o.clientId || !o.clientSecret) throw new SuiteOptionError('--client-id and --client-secret are required');
  if ((o.limitedClientId === undefined) !== (o.limitedClientSecret === undefined)) {
    throw new SuiteOptionError('--limited-client-id and --limited-client-secret go together');
  }
  const timeoutMs = o.timeoutMs ?? SUITE_DEFAULTS.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new SuiteOptionError('--timeout-ms must be an integer from 1 to 600000');
  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    version,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    tokenUrl: url('--token-url', o.tokenUrl ?? `${base.origin}${SUITE_DEFAULTS.tokenPath}`).href,
    scopes: o.scopes ?? [],
    auth,
    limited: o.limitedClientId && o.limitedClientSecret ? { clientId: o.limitedClientId, clientSecret: o.limitedClientSecret } : undefined,
    writes: o.writes === true,
    only: o.only ?? [],
    skip: o.skip ?? [],
    timeoutMs,
    allowInsecureHttp: o.allowInsecureHttp === true,
    fetch: o.fetch,
  };
}

/** `a,b c` or ['a', 'b'] → ['a', 'b', 'c']. */
export function listOption(value: string[] | string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** Whether a case id is selected by --only/--skip patterns (see the table above). */
export function selected(id: string, o: Pick<ResolvedSuiteOptions, 'only' | 'skip'>): boolean {
  const matches = (p: string) => id === p || id.startsWith(`${p.replace(/\.\*$/, '')}.`) || (p.endsWith('*') && id.startsWith(p.slice(0, -1)));
  return (o.only.length === 0 || o.only.some(matches)) && !o.skip.some(matches);
}

function url(flag: string, value: string | undefined): URL {
  try {
    const u = new URL(value ?? '');
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    if (u.search || u.hash) throw new Error('a query or fragment');
    return u;
  } catch {
    throw new SuiteOptionError(`${flag} must be an absolute http(s) URL without query, got ${JSON.stringify(value ?? '')}`);
  }
}
