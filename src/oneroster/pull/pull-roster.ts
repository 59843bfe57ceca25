/**
 * OneRoster REST pull: a full roster, or the changes since a moment, from a OneRoster 1.1 or 1.2
 * provider into an EdHub tenant.
 *
 * Design: REST JSON → a OneRoster CSV package in a temporary directory → importPackage.
 * - The package is written page by page (each record spooled to disk as it arrives, fetch-collections.ts),
 *   so memory holds a page, never the roster.
 * - importPackage then applies every validation rule of the CSV binding and merges all or nothing in one
 *   transaction: a pull and a CSV upload of the same data are "unchanged" against each other, and a
 *   repeated pull writes nothing (the content hash, DESIGN §5).
 * - A full pull marks each pulled file `bulk` (records missing from the provider's listing become
 *   tobedeleted); a delta pull asks each collection for `dateLastModified>'<since>'` and marks the
 *   files `delta` (the provider's tombstones arrive with status tobedeleted). Files not pulled are
 *   `absent` and their stored records are left alone.
 * - A 1.1 provider's records are written as a **1.1 package** (users with `role` and `orgSourcedIds`,
 *   line items with `gradingPeriodSourcedId`), not converted to 1.2 here: the import's canonicalizer
 *   already maps 1.1 into the 1.2 model (roles derived per org with the same ids, 1.1 roles mapped by
 *   roles-11.ts, a delta user retiring the roles it no longer has). That is less code — the converter
 *   only picks the 1.1 columns — and more faithful: a 1.1 pull and a 1.1 CSV upload of the same data go
 *   through the very same mapping, so they are unchanged against each other too.
 * - A 1.2 provider's users carry their roles and profiles inline; they become roles.csv and
 *   userProfiles.csv rows (user-parts.ts explains the ids RoleDType lacks).
 *
 * The pipeline, in order:
 *   1. resolve the options and the delta's `since` (default: the cursor of the last successful pull of
 *      this tenant from this base URL, read from oneroster_pulls);
 *   2. record the attempt (oneroster_pulls, status running);
 *   3. settle the version (detect-version.ts) and read every planned collection (pull-plan.ts) into spools;
 *   4. write the package (package-spool.ts);
 *   5. records the conversion could not write faithfully → validate only, import nothing; otherwise import;
 *   6. move the validator's findings from CSV lines to REST records (locate-diagnostics.ts);
 *   7. record the outcome, and on success the cursor the next delta starts from.
 * A failure anywhere before the import's commit leaves the tenant's data untouched and is recorded
 * with its reason. Credentials are used for the requests only: never stored, logged or put in errors.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportCounts } from '../../db/schema.js';
import { openDirectory } from '../../packaging/open-directory.js';
import { Problem } from '../../problems.js';
import { createOneRosterClient, OneRosterClientError, type OneRosterClientOptions, type OneRosterVersion, type RequestEvent } from '../client/index.js';
import { importPackage } from '../csv/import/import-package.js';
import { withPackage } from '../csv/open-package.js';
import { type ValidationReport, validatePackage } from '../csv/validate-package.js';
import { detectVersion } from './detect-version.js';
import { fetchCollections } from './fetch-collections.js';
import { locateDiagnostics } from './locate-diagnostics.js';
import { type FileSpool, writePackage } from './package-spool.js';
import { PullDiagnostics } from './pull-diagnostics.js';
import { beginPull, finishPull, lastSuccessfulPull } from './pull-log.js';
import { type PullDeps, type PullOptions, PullOptionsError, type ResolvedPull, resolvePullOptions } from './pull-options.js';
import { pullPlan } from './pull-plan.js';
import { type PullFailure, type PullResult, totalsOf } from './pull-result.js';

interface RunState {
  version: OneRosterVersion | null;
  importId: string | null;
  counts: Record<string, ImportCounts>;
  records: Record<string, number>;
  http: { requests: number; pages: number; retries: number };
}

export async function pullRoster(deps: PullDeps, options: PullOptions): Promise<PullResult> {
  const o = resolvePullOptions(options);
  const now = deps.now ?? (() => new Date());
  const since = o.mode === 'delta' ? (o.since ?? (await lastSuccessfulPull(deps.db, o.tenantId, o.baseUrl))?.cursor) : undefined;
  if (o.mode === 'delta' && since === undefined) {
    throw new PullOptionsError(`no successful pull from ${o.baseUrl} into this tenant yet: run a full pull first, or give the moment to start from (since)`);
  }

  const pullId = randomUUID();
  const startedAt = now();
  await beginPull(deps.db, { id: pullId, tenantId: o.tenantId, baseUrl: o.baseUrl, version: o.version, mode: o.mode, since, startedAt });
  deps.logger?.info({ pullId, tenantId: o.tenantId, baseUrl: o.baseUrl, mode: o.mode, since }, 'OneRoster pull started');

  const state: RunState = { version: o.version ?? null, importId: null, counts: {}, records: {}, http: { requests: 0, pages: 0, retries: 0 } };
  const diagnostics = new PullDiagnostics();
  let failure: PullFailure | undefined;
  let unexpected: unknown;
  try {
    failure = await run(deps, o, since, state, diagnostics);
  } catch (err) {
    failure = failureOf(err, o.signal);
    if (failure.code === 'internal') unexpected = err;
  }

  const finishedAt = now();
  const cursor = failure ? null : new Date(startedAt.getTime() - o.cursorOverlapMs);
  await finishPull(deps.db, pullId, {
    status: failure ? 'failed' : 'succeeded',
    version: state.version,
    importId: state.importId,
    finishedAt,
    cursor,
    error: failure ? `${failure.code}: ${failure.message}` : null,
    counts: state.counts,
    stats: { ...state.http, records: state.records, errors: diagnostics.errors, warnings: diagnostics.warnings },
    diagnostics: diagnostics.list,
  });
  if (failure) deps.logger?.warn({ pullId, code: failure.code, reason: failure.message }, 'OneRoster pull failed');
  else deps.logger?.info({ pullId, totals: totalsOf(state.counts), ...state.http }, 'OneRoster pull succeeded');
  if (unexpected !== undefined) throw unexpected;

  return {
    pullId,
    status: failure ? 'failed' : 'succeeded',
    version: state.version,
    mode: o.mode,
    since: since?.toISOString() ?? null,
    cursor: cursor?.toISOString() ?? null,
    importId: state.importId,
    counts: state.counts,
    totals: totalsOf(state.counts),
    records: state.records,
    ...state.http,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    errors: diagnostics.errors,
    warnings: diagnostics.warnings,
    diagnostics: diagnostics.list,
    ...(failure ? { failure } : {}),
  };
}

/** Steps 3–6; returns the failure when the data was refused, throws when the pull could not run. */
async function run(deps: PullDeps, o: ResolvedPull, since: Date | undefined, state: RunState, diagnostics: PullDiagnostics): Promise<PullFailure | undefined> {
  const client: Omit<OneRosterClientOptions, 'baseUrl' | 'version' | 'auth'> = {
    ...definedOnly(o.client),
    ...(deps.now ? { now: deps.now } : {}),
    fetch: abortableFetch(deps.fetch ?? globalThis.fetch, o.signal),
    sleep: abortableSleep(deps.sleep, o.signal),
    onRequest: (e: RequestEvent) => countRequest(state.http, e),
  };
  state.version = o.version ?? (await detectVersion(o.baseUrl, o.auth, client));
  const version = state.version;
  const mode = o.mode === 'full' ? 'bulk' : 'delta';

  const dir = await mkdtemp(join(o.tempDir, 'edhub-pull-'));
  const spools = new Map<string, FileSpool>();
  try {
    await mkdir(join(dir, 'spool'));
    await mkdir(join(dir, 'package'));
    state.records = await fetchCollections({
      client: createOneRosterClient({ ...client, baseUrl: o.baseUrl, version, auth: o.auth, pageSize: o.pageSize }),
      version,
      mode,
      since,
      plan: pullPlan(version, o.includeGradebook),
      dir: join(dir, 'spool'),
      db: deps.db,
      tenantId: o.tenantId,
      signal: o.signal,
      onProgress: o.onProgress,
      diagnostics,
      spools,
    });
    for (const s of spools.values()) await s.close();
    o.signal?.throwIfAborted();
    const packageDir = join(dir, 'package');
    await writePackage(packageDir, version, spools, mode);

    if (diagnostics.errors > 0) {
      // Some records could not be written faithfully: import nothing, but report every other problem too.
      const report = await withPackage(
        () => openDirectory(packageDir),
        (pkg) => validatePackage(pkg),
        (refused) => refused,
      );
      await locateDiagnostics(withoutUnverified(report), spools, version, diagnostics);
      return invalidData(diagnostics);
    }
    o.signal?.throwIfAborted(); // past this point the import runs to its end: it is all or nothing either way
    const imported = await withPackage(
      () => openDirectory(packageDir),
      (pkg) =>
        importPackage(deps.db, pkg, {
          tenantId: o.tenantId,
          sourceName: `OneRoster ${version} pull (${o.mode}) from ${o.baseUrl}`,
          ctx: o.ctx,
          copyIn: deps.copyIn,
          ...(deps.now ? { now: deps.now } : {}),
          onProgress: (file, rows) => o.onProgress({ phase: 'import', name: file, count: rows }),
        }),
      (refused) => {
        throw new Error(`the pull's own package was refused: ${refused.diagnostics.map((d) => d.message).join('; ')}`);
      },
    );
    state.importId = imported.importId;
    state.counts = imported.counts;
    await locateDiagnostics(imported.report, spools, version, diagnostics);
    return imported.status === 'failed' ? invalidData(diagnostics) : undefined;
  } finally {
    for (const s of spools.values()) await s.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

function invalidData(diagnostics: PullDiagnostics): PullFailure {
  return {
    code: 'invalid_data',
    message: `the provider's records break OneRoster rules (${diagnostics.errors} error(s), located in the diagnostics); nothing was changed`,
  };
}

/** Without a stored-data lookup, references out of the package are only "unverified": noise in a report that imports nothing anyway. */
function withoutUnverified(report: ValidationReport): ValidationReport {
  const dropped = report.diagnostics.filter((d) => d.code === 'ref.unverified').length;
  return { ...report, warnings: report.warnings - dropped, diagnostics: report.diagnostics.filter((d) => d.code !== 'ref.unverified') };
}

function failureOf(err: unknown, signal: AbortSignal | undefined): PullFailure {
  if (signal?.aborted) return { code: 'cancelled', message: 'the pull was cancelled; nothing was changed' };
  if (err instanceof OneRosterClientError) return { code: err.code, message: `${err.message}; nothing was changed` };
  if (err instanceof Problem && err.code === 'conflict') return { code: 'conflict', message: err.detail };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

function countRequest(http: RunState['http'], e: RequestEvent): void {
  http.requests++;
  if (e.attempt > 1) http.retries++;
  if (e.method === 'GET' && typeof e.status === 'number' && e.status >= 200 && e.status <= 299) http.pages++;
}

/** Each request also ends when the caller's signal fires (the client's own per-attempt timeout still applies). */
function abortableFetch(base: typeof fetch, signal: AbortSignal | undefined): typeof fetch {
  if (!signal) return base;
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

/** A wait between retries that ends at once, with the abort reason, when the caller's signal fires. */
function abortableSleep(base: ((ms: number) => Promise<void>) | undefined, signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  const wait = base ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (!signal) return wait;
  return (ms) => {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      wait(ms).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
