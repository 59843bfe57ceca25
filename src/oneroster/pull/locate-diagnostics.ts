import type { OneRosterVersion } from '../client/index.js';
import type { Diagnostic } from '../csv/diagnostics.js';
import type { ValidationReport } from '../csv/validate-package.js';
import { recordConverter } from './convert-record.js';
import type { FileSpool, RowOrigin } from './package-spool.js';
import type { PullDiagnostics } from './pull-diagnostics.js';
import { PROFILE_FIELDS, ROLE_FIELDS } from './user-parts.js';

/** Files made from parts of another collection's records (user-parts.ts). */
const PART_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { roles: ROLE_FIELDS, userProfiles: PROFILE_FIELDS };

/**
 * The CSV validator's findings, moved from the temporary package (file, line, column) to the
 * provider's records (endpoint, sourcedId, JSON field). Line n of a CSV file is line n − 1 of its
 * spool (package-spool.ts), which names the record; the column's REST field comes from the same
 * tables the conversion used. Only the spools holding a finding are read again, once each.
 */
export async function locateDiagnostics(
  report: ValidationReport,
  spools: Map<string, FileSpool>,
  version: OneRosterVersion,
  into: PullDiagnostics,
): Promise<void> {
  const wanted = new Map<string, Set<number>>();
  for (const d of report.diagnostics) {
    const file = fileOf(d);
    if (d.line !== undefined && d.line >= 2 && spools.has(file)) {
      const lines = wanted.get(file) ?? new Set<number>();
      lines.add(d.line - 2);
      wanted.set(file, lines);
    }
  }
  const origins = new Map<string, Map<number, RowOrigin>>();
  for (const [file, lines] of wanted) {
    const found = new Map<number, RowOrigin>();
    let index = 0;
    for await (const line of (spools.get(file) as FileSpool).lines()) {
      if (lines.has(index)) found.set(index, line.o);
      if (found.size === lines.size) break;
      index++;
    }
    origins.set(file, found);
  }

  let errors = 0;
  let warnings = 0;
  for (const d of report.diagnostics) {
    const file = fileOf(d);
    const origin = d.line !== undefined ? origins.get(file)?.get(d.line - 2) : undefined;
    const field = d.column === undefined ? undefined : fieldOf(version, file, d.column, origin);
    if (d.severity === 'error') errors++;
    else warnings++;
    into.add({
      severity: d.severity,
      code: d.code,
      endpoint: origin?.endpoint ?? endpointOf(file),
      ...(origin && origin.sourcedId !== '' ? { sourcedId: origin.sourcedId } : {}),
      ...(field ? { field } : {}),
      message: d.message,
    });
  }
  // Findings the validator only counted.
  into.errors += report.errors - errors;
  into.warnings += report.warnings - warnings;
  into.suppressed += report.suppressed;
}

function fileOf(d: Diagnostic): string {
  return d.file.endsWith('.csv') ? d.file.slice(0, -4) : d.file;
}

function endpointOf(file: string): string {
  return PART_FIELDS[file] ? '/users' : file === 'manifest' ? '(package)' : `/${file}`;
}

function fieldOf(version: OneRosterVersion, file: string, column: string, origin: RowOrigin | undefined): string | undefined {
  if (column.startsWith('metadata.')) return `metadata/${column.slice('metadata.'.length)}`;
  const parts = PART_FIELDS[file];
  if (parts) {
    if (!origin?.part) return undefined;
    const below = parts[column];
    return below ? `${origin.part}/${below}` : origin.part;
  }
  try {
    return recordConverter(version, file).fieldOf(column);
  } catch {
    return undefined;
  }
}
