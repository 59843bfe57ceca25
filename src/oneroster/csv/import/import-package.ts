import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { BulkLoader } from '../../../db/database.js';
import type { Database, ImportCounts } from '../../../db/schema.js';
import type { PackageSource } from '../../../packaging/package-source.js';
import { Problem } from '../../../problems.js';
import { type ActorContext, recordAudit } from '../../../security/audit-log.js';
import type { TenantId } from '../../../tenancy/ids.js';
import type { StoredLookup } from '../references.js';
import type { ValidationReport } from '../validate-package.js';
import { type FileRowSink, validatePackage } from '../validate-package.js';
import { type CanonicalRow, canonicalizer } from './canonical-row.js';
import { hashingSource } from './hashing-source.js';
import { mergeFile, retireReplacedRoles } from './merge.js';
import { StagingWriter } from './staging-writer.js';

export interface ImportOptions {
  tenantId: TenantId;
  /** What the package was called (file name, upload name), for the import record. */
  sourceName: string;
  ctx: ActorContext;
  now?: () => Date;
  maxDiagnostics?: number;
  /** Called as rows are read (for a progress bar). */
  onProgress?: (file: string, rows: number) => void;
  /** The database's bulk loader (DatabaseHandle.copyIn): rows are staged with COPY. */
  copyIn: BulkLoader;
}

export interface ImportResult {
  importId: string;
  status: 'succeeded' | 'failed';
  counts: Record<string, ImportCounts>;
  report: ValidationReport;
  fileHashes: Record<string, string>;
  durationMs: number;
}

/** Diagnostics kept on the import record (the CLI prints the report itself). */
const STORED_DIAGNOSTICS = 1000;
/** An import still marked running after this long is taken to have died with its process. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Imports a OneRoster CSV package into a tenant, all or nothing: rows are validated and staged in one
 * streaming pass; only a package without errors is merged, in one transaction, into roster_records.
 * A process killed at any point leaves the previous state (its staging rows are swept by the next
 * import), so an import can simply be run again; running an identical package again changes nothing.
 */
export async function importPackage(db: Kysely<Database>, pkg: PackageSource, options: ImportOptions): Promise<ImportResult> {
  return runImport(db, pkg, await beginImport(db, options), options);
}

/**
 * Records a new running import for the tenant and returns its id — or refuses (409) while another
 * import of the tenant runs. The HTTP upload answers with this id before the work starts.
 */
export async function beginImport(db: Kysely<Database>, options: ImportOptions): Promise<string> {
  const importId = randomUUID();
  await claimTenant(db, options, importId, (options.now ?? (() => new Date()))());
  return importId;
}

/** Validates, stages and merges a package for an import begun with beginImport. */
export async function runImport(db: Kysely<Database>, pkg: PackageSource, importId: string, options: ImportOptions): Promise<ImportResult> {
  const now = options.now ?? (() => new Date());
  const started = (await db.selectFrom('roster_imports').select('started_at').where('id', '=', importId).executeTakeFirstOrThrow()).started_at;

  const fileHashes: Record<string, string> = {};
  const writer = new StagingWriter(options.copyIn, importId);
  const modes = new Map<string, 'bulk' | 'delta'>();
  const record = (report: ValidationReport | undefined, counts: Record<string, ImportCounts>, failure?: string) =>
    finishImport(db, { importId, started, finished: now(), report, fileHashes, counts, failure });
  let report: ValidationReport | undefined;
  try {
    report = await validatePackage(hashingSource(pkg, fileHashes), {
      maxDiagnostics: options.maxDiagnostics,
      lookup: storedLookup(db, options.tenantId),
      sink: async (file, mode, header, version) => {
        modes.set(file.name, mode);
        return stagingSink(file.name, canonicalizer(version, file, header), writer, options.onProgress);
      },
    });
    await writer.finish();
    if (!report.valid) {
      await record(report, {}, 'the package has errors; nothing was changed');
      return result(importId, 'failed', {}, report, fileHashes, started, now());
    }
    const counts = await merge(db, options, importId, report, modes, now());
    await record(report, counts);
    await refreshStatistics(db, counts);
    return result(importId, 'succeeded', counts, report, fileHashes, started, now());
  } catch (err) {
    await record(report, {}, err instanceof Problem ? err.detail : 'the import stopped on an internal error; nothing was changed').catch(() => {});
    throw err;
  } finally {
    await sql`DELETE FROM roster_import_rows WHERE import_id = ${importId}::uuid`.execute(db);
  }
}

/** The merge of every staged file, and the audit event, in one transaction. */
async function merge(
  db: Kysely<Database>,
  options: ImportOptions,
  importId: string,
  report: ValidationReport,
  modes: Map<string, 'bulk' | 'delta'>,
  at: Date,
): Promise<Record<string, ImportCounts>> {
  const counts: Record<string, ImportCounts> = {};
  // Fresh statistics, or the planner, seeing "empty" tables, joins staging and records with nested
  // loops: quadratic (measured: 300 s instead of seconds for 43k rows on PostgreSQL).
  await sql`ANALYZE roster_import_rows`.execute(db);
  await sql`ANALYZE roster_records`.execute(db);
  await db.transaction().execute(async (trx) => {
    const target = { importId, tenantId: options.tenantId, now: at };
    for (const [file, mode] of modes) counts[file] = await mergeFile(trx, { ...target, file, mode });
    // A 1.1 users file carries its users' roles: they are replaced as the users file is.
    const usersMode = modes.get('users');
    if (report.version === '1.1' && usersMode) {
      const roles = await mergeFile(trx, { ...target, file: 'roles', mode: usersMode });
      // In a delta, a user's row is the whole truth about that user's role and orgs.
      if (usersMode === 'delta') roles.deleted += await retireReplacedRoles(trx, target);
      counts.roles = roles;
    }
    await recordAudit(trx, options.ctx, {
      tenantId: options.tenantId,
      action: 'oneroster.import',
      target: { type: 'roster_import', id: importId },
      details: { source: options.sourceName, version: report.version, counts },
    });
  });
  return counts;
}

/**
 * One import per tenant at a time. A running import older than STALE_AFTER_MS died with its process:
 * it is marked failed and its staging rows are swept.
 */
async function claimTenant(db: Kysely<Database>, options: ImportOptions, importId: string, started: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT id FROM tenants WHERE id = ${options.tenantId}::uuid FOR UPDATE`.execute(trx);
    const running = await trx
      .selectFrom('roster_imports')
      .select(['id', 'started_at'])
      .where('tenant_id', '=', options.tenantId)
      .where('status', '=', 'running')
      .execute();
    for (const r of running) {
      if (started.getTime() - r.started_at.getTime() < STALE_AFTER_MS) {
        throw new Problem('conflict', `import ${r.id} is still running for this tenant; try again when it has finished`);
      }
      await trx
        .updateTable('roster_imports')
        .set({ status: 'failed', failure: 'interrupted: the process stopped before the import finished', finished_at: started })
        .where('id', '=', r.id)
        .execute();
      await sql`DELETE FROM roster_import_rows WHERE import_id = ${r.id}::uuid`.execute(trx);
    }
    await trx
      .insertInto('roster_imports')
      .values({
        id: importId,
        tenant_id: options.tenantId,
        status: 'running',
        source_name: options.sourceName,
        actor_type: options.ctx.actor.type,
        actor_id: options.ctx.actor.id,
        started_at: started,
      })
      .execute();
  });
}

/** Changed rows beyond which an import refreshes the planner's statistics itself. */
const ANALYZE_AFTER_CHANGES = 5000;

/**
 * A large import changes the table under the planner's feet: until autovacuum's ANALYZE comes round
 * (minutes, and never in PGlite), row estimates from before the import (a freshly loaded tenant's
 * files estimated at one row) turn OneRoster reads into nested loops that take seconds per request.
 * ANALYZE samples a fixed number of rows, so it costs about a second however large the table.
 */
async function refreshStatistics(db: Kysely<Database>, counts: Record<string, ImportCounts>): Promise<void> {
  const changed = Object.values(counts).reduce((n, c) => n + c.inserted + c.updated + c.deleted, 0);
  if (changed >= ANALYZE_AFTER_CHANGES) await sql`ANALYZE roster_records`.execute(db);
}

async function finishImport(
  db: Kysely<Database>,
  f: {
    importId: string;
    started: Date;
    finished: Date;
    report: ValidationReport | undefined;
    fileHashes: Record<string, string>;
    counts: Record<string, ImportCounts>;
    failure?: string;
  },
): Promise<void> {
  await db
    .updateTable('roster_imports')
    .set({
      status: f.failure ? 'failed' : 'succeeded',
      oneroster_version: f.report?.version ?? null,
      file_hashes: JSON.stringify(f.fileHashes),
      counts: JSON.stringify(f.counts),
      error_count: f.report?.errors ?? 0,
      warning_count: f.report?.warnings ?? 0,
      diagnostics: JSON.stringify((f.report?.diagnostics ?? []).slice(0, STORED_DIAGNOSTICS)),
      failure: f.failure ?? null,
      finished_at: f.finished,
      duration_ms: f.finished.getTime() - f.started.getTime(),
    })
    .where('id', '=', f.importId)
    .execute();
}

/** References that leave the package resolve against the tenant's active records. */
function storedLookup(db: Kysely<Database>, tenantId: TenantId): StoredLookup {
  return async (file, ids) => {
    const rows = await sql<{ sourced_id: string; type: string | null }>`
      SELECT sourced_id, fields->>'type' AS type FROM roster_records
      WHERE tenant_id = ${tenantId}::uuid AND file = ${file} AND status = 'active' AND sourced_id = ANY(${ids}::text[])`.execute(db);
    return new Map(rows.rows.map((r) => [r.sourced_id, r.type ?? '']));
  };
}

function stagingSink(
  name: string,
  canonical: (fields: string[]) => CanonicalRow[],
  writer: StagingWriter,
  onProgress: ImportOptions['onProgress'],
): FileRowSink {
  let rows = 0;
  return {
    row(fields, clean) {
      rows++;
      if (onProgress && rows % 10_000 === 0) onProgress(name, rows);
      if (!clean) return undefined;
      let wait: Promise<void> | undefined;
      for (const r of canonical(fields)) wait = writer.add(r) ?? wait;
      return wait;
    },
    async end() {
      onProgress?.(name, rows);
    },
  };
}

function result(
  importId: string,
  status: ImportResult['status'],
  counts: Record<string, ImportCounts>,
  report: ValidationReport,
  fileHashes: Record<string, string>,
  started: Date,
  finished: Date,
): ImportResult {
  return { importId, status, counts, report, fileHashes, durationMs: finished.getTime() - started.getTime() };
}
