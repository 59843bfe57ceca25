import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ImportCounts } from '../db/schema.js';
import { formatDiagnostic } from '../oneroster/csv/diagnostics.js';
import { exportPackage } from '../oneroster/csv/export/export-package.js';
import { importPackage } from '../oneroster/csv/import/import-package.js';
import { openPackageAt, withPackage } from '../oneroster/csv/open-package.js';
import { isVersion } from '../oneroster/csv/spec.js';
import { type ValidationReport, validatePackage } from '../oneroster/csv/validate-package.js';
import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import type { ActorContext } from '../security/audit-log.js';
import { CommandFailed } from './command-failed.js';
import type { CommandArgs, CommandIO, CommandResult } from './commands.js';
import { tenantArg } from './tenant-arg.js';

/** Diagnostics a person sees in the terminal before "… and N more". */
const SHOWN = 50;

export function describeReport(report: ValidationReport): string {
  const lines = report.diagnostics.slice(0, SHOWN).map(formatDiagnostic);
  const more = report.diagnostics.length - SHOWN + report.suppressed;
  if (more > 0) lines.push(`… and ${more} more`);
  lines.push(
    `${report.valid ? 'valid' : 'invalid'}: ${report.errors} error(s), ${report.warnings} warning(s)${report.version ? ` (OneRoster ${report.version})` : ''}`,
  );
  return lines.join('\n');
}

/** `edhub oneroster validate <zip|dir>`: needs no database; exit code 1 when the package has errors. */
export async function validateCommand(path: string, options: { maxDiagnostics?: number } = {}): Promise<{ result: CommandResult; ok: boolean }> {
  const report = await withPackage(
    () => openPackageAt(path),
    (pkg) => validatePackage(pkg, { maxDiagnostics: options.maxDiagnostics }),
    (refused) => refused,
  );
  return { result: { data: report, text: describeReport(report) }, ok: report.valid };
}

function countsTable(counts: Record<string, ImportCounts>): string {
  const rows = Object.entries(counts).map(
    ([file, c]) => `${file.padEnd(30)} ${[c.rows, c.inserted, c.updated, c.unchanged, c.deleted].map((n) => String(n).padStart(9)).join(' ')}`,
  );
  return [`${'file'.padEnd(30)} ${['rows', 'inserted', 'updated', 'unchanged', 'deleted'].map((h) => h.padStart(9)).join(' ')}`, ...rows].join('\n');
}

export async function importCommand(rt: Runtime, args: CommandArgs, ctx: ActorContext, io?: CommandIO): Promise<CommandResult> {
  const tenantId = await tenantArg(rt, args.tenant);
  const path = String(args.path ?? '');
  const progress = io?.progress;
  return withPackage(
    () => openPackageAt(path),
    async (pkg) => {
      const r = await importPackage(rt.database.db, pkg, { tenantId, sourceName: path, ctx, onProgress: progress, copyIn: rt.database.copyIn });
      const data = {
        importId: r.importId,
        status: r.status,
        counts: r.counts,
        errors: r.report.errors,
        warnings: r.report.warnings,
        durationMs: r.durationMs,
        diagnostics: r.report.diagnostics.slice(0, 100),
      };
      const text =
        r.status === 'succeeded'
          ? `import ${r.importId} succeeded in ${(r.durationMs / 1000).toFixed(1)} s\n${countsTable(r.counts)}`
          : `${describeReport(r.report)}\nimport ${r.importId} failed: nothing was changed`;
      if (r.status === 'failed') throw new CommandFailed({ data, text });
      return { data, text };
    },
    (refused) => {
      throw new CommandFailed({
        data: { status: 'failed', errors: 1, diagnostics: refused.diagnostics },
        text: `${describeReport(refused)}\nnothing was imported`,
      });
    },
  );
}

export async function exportCommand(rt: Runtime, args: CommandArgs, ctx: ActorContext): Promise<CommandResult> {
  const tenantId = await tenantArg(rt, args.tenant);
  const version = String(args.version ?? '');
  if (!isVersion(version)) throw new Problem('validation-failed', '--version must be 1.1 or 1.2');
  const since = args.since === undefined ? undefined : new Date(String(args.since));
  if (since && Number.isNaN(since.getTime())) throw new Problem('validation-failed', `--since ${String(args.since)} is not an ISO 8601 date-time`);
  const out = String(args.out ?? '');
  if (!out) throw new Problem('validation-failed', '--out <file.zip> is required');
  const { zip, files } = await exportPackage(rt.database.db, tenantId, { version, since, ctx });
  await pipeline(zip, createWriteStream(out));
  const total = Object.values(files).reduce((a, b) => a + b, 0);
  return {
    data: { out, version, mode: since ? 'delta' : 'bulk', files },
    text: `wrote ${out}: OneRoster ${version} ${since ? 'delta' : 'bulk'}, ${total} record(s) in ${Object.keys(files).length} file(s)`,
  };
}
