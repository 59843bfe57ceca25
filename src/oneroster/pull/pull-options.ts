import { tmpdir } from 'node:os';
import type { Kysely } from 'kysely';
import type { BulkLoader } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { ActorContext } from '../../security/audit-log.js';
import type { TenantId } from '../../tenancy/ids.js';
import type { OneRosterAuth, OneRosterVersion } from '../client/index.js';

/**
 * What a pull is given: its dependencies (the database, and what tests swap: clock, sleep, transport)
 * and its options, validated once here with every default written down (STYLE: one validated object).
 */
export interface PullDeps {
  db: Kysely<Database>;
  /** The database's bulk loader (DatabaseHandle.copyIn), for the import's COPY into staging. */
  copyIn: BulkLoader;
  logger?: Logger;
  /** Default: the real clock. Stamps the pull and the imported records of bulk files. */
  now?: () => Date;
  /** Waits between retries. Default: real timers. */
  sleep?: (ms: number) => Promise<void>;
  /** The HTTP transport. Default: global fetch. */
  fetch?: typeof fetch;
}

/** How the pull authenticates to the provider (fact sheet §6). Never stored or logged by the pull. */
export type PullCredentials =
  | {
      kind: 'oauth2';
      clientId: string;
      clientSecret: string;
      /** Default: `/oauth/token` at the base URL's origin, EdHub's own token endpoint. */
      tokenUrl?: string;
      /** Asked for when given; default none (the provider grants what the client holds). */
      scope?: string;
    }
  | { kind: 'oauth1'; consumerKey: string; consumerSecret: string };

export interface PullProgress {
  phase: 'fetch' | 'import';
  /** The endpoint (fetch) or the CSV file (import). */
  name: string;
  /** Records received or rows imported so far. */
  count: number;
}

export interface PullOptions {
  tenantId: TenantId;
  /** The provider: `…/ims/oneroster`, a `/v1p1` base, or a `/{service}/v1p2` base (client/base-url.ts). */
  baseUrl: string;
  /**
   * The OneRoster version of the data. Default: detected (detect-version.ts): a `/v1p1` base is 1.1, a
   * `/…/v1p2` base 1.2, OAuth 1.0a means 1.1; otherwise the 1.2 rostering base is tried and a 404
   * falls back to 1.1.
   */
  version?: OneRosterVersion;
  credentials: PullCredentials;
  /** full: every record, files marked bulk; delta: `dateLastModified>` since, files marked delta. */
  mode: 'full' | 'delta';
  /** The delta's lower bound. Default: the cursor of the last successful pull of this tenant and base URL. */
  since?: Date;
  /** Also pull categories, line items, results (and score scales on 1.2). Default false. */
  includeGradebook?: boolean;
  /** `limit` asked for per page. Default 1000; a provider's lower cap is honoured (client/paging.ts). */
  pageSize?: number;
  /**
   * How far before this pull's start the next delta begins. Default 5 minutes: the provider's clock may
   * run behind ours, or a change may commit with an earlier dateLastModified while we read; re-reading a
   * few minutes of changes costs little, because an unchanged record writes nothing.
   */
  cursorOverlapMs?: number;
  /** Who pulls, for the import's audit event. */
  ctx: ActorContext;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Passed to the client (client/options.ts documents their defaults). */
  maxResponseBytes?: number;
  maxRetries?: number;
  timeoutMs?: number;
  allowInsecureHttp?: boolean;
  /** Where the temporary package is written. Default: the OS temp directory. */
  tempDir?: string;
}

export interface ResolvedPull {
  tenantId: TenantId;
  baseUrl: string;
  version: OneRosterVersion | undefined;
  auth: OneRosterAuth;
  mode: 'full' | 'delta';
  since: Date | undefined;
  includeGradebook: boolean;
  pageSize: number;
  cursorOverlapMs: number;
  ctx: ActorContext;
  signal: AbortSignal | undefined;
  onProgress: (progress: PullProgress) => void;
  client: { maxResponseBytes?: number; maxRetries?: number; timeoutMs?: number; allowInsecureHttp?: boolean };
  tempDir: string;
}

export const PULL_DEFAULTS = {
  pageSize: 1000,
  cursorOverlapMs: 5 * 60_000,
  tokenPath: '/oauth/token',
} as const;

/** A pull asked for with options that cannot work; nothing was recorded or fetched. */
export class PullOptionsError extends Error {
  override readonly name = 'PullOptionsError';
}

export function resolvePullOptions(o: PullOptions): ResolvedPull {
  if (o.mode !== 'full' && o.mode !== 'delta') throw new PullOptionsError(`mode must be full or delta, got ${String(o.mode)}`);
  if (o.version !== undefined && o.version !== '1.1' && o.version !== '1.2') throw new PullOptionsError(`version must be 1.1 or 1.2, got ${String(o.version)}`);
  if (o.since !== undefined && Number.isNaN(o.since.getTime())) throw new PullOptionsError('since is not a valid date');
  if (o.mode === 'full' && o.since !== undefined) throw new PullOptionsError('since applies to delta pulls only');
  let base: URL;
  try {
    base = new URL(o.baseUrl);
  } catch {
    throw new PullOptionsError(`the base URL is not an absolute URL: ${o.baseUrl}`);
  }
  // The base URL is recorded with every pull (oneroster_pulls) and shown in logs: no secrets in it.
  if (base.username || base.password)
    throw new PullOptionsError('the base URL holds a user name or password; give credentials as the client id and secret instead');
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new PullOptionsError(`the base URL must be http(s), not ${base.protocol}`);
  return {
    tenantId: o.tenantId,
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    version: o.version,
    auth: authOf(o.credentials, base),
    mode: o.mode,
    since: o.since,
    includeGradebook: o.includeGradebook === true,
    pageSize: pageSizeOf(o.pageSize ?? PULL_DEFAULTS.pageSize),
    cursorOverlapMs: nonNegative('cursorOverlapMs', o.cursorOverlapMs ?? PULL_DEFAULTS.cursorOverlapMs),
    ctx: o.ctx,
    signal: o.signal,
    onProgress: o.onProgress ?? (() => {}),
    client: { maxResponseBytes: o.maxResponseBytes, maxRetries: o.maxRetries, timeoutMs: o.timeoutMs, allowInsecureHttp: o.allowInsecureHttp },
    tempDir: o.tempDir ?? tmpdir(),
  };
}

function authOf(c: PullCredentials, base: URL): OneRosterAuth {
  switch (c.kind) {
    case 'oauth2':
      if (!c.clientId || !c.clientSecret) throw new PullOptionsError('OAuth 2 needs a client id and a client secret');
      return {
        kind: 'oauth2',
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        tokenUrl: c.tokenUrl ?? new URL(PULL_DEFAULTS.tokenPath, base.origin).href,
        ...(c.scope ? { scope: c.scope } : {}),
      };
    case 'oauth1':
      if (!c.consumerKey || !c.consumerSecret) throw new PullOptionsError('OAuth 1.0a needs a consumer key and a consumer secret');
      return { kind: 'oauth1', consumerKey: c.consumerKey, consumerSecret: c.consumerSecret };
    default: {
      const never: never = c;
      throw new PullOptionsError(`unknown credentials kind ${String((never as { kind: unknown }).kind)}`);
    }
  }
}

/** The client's own bounds (client/options.ts), checked here so a bad value fails before anything is recorded. */
function pageSizeOf(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new PullOptionsError(`pageSize must be a whole number from 1 to 10000, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new PullOptionsError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
