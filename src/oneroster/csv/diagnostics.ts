/**
 * What the CSV validator reports: each finding located by file, line (1-based, the header is line 1)
 * and column name where it has one, with a stable code to switch on and a sentence for a person.
 */
export const DIAGNOSTIC_CODES = [
  'package.unreadable',
  'package.manifest-missing',
  'package.file-missing',
  'package.file-not-declared',
  'package.unknown-file',
  'package.ignored-entry',
  'manifest.header',
  'manifest.version',
  'manifest.oneroster-version',
  'manifest.file-row-missing',
  'manifest.duplicate-row',
  'manifest.unknown-row',
  'manifest.mode',
  'csv.encoding',
  'csv.syntax',
  'csv.record-too-large',
  'file.empty',
  'header.duplicate',
  'header.mismatch',
  'row.width',
  'value.required',
  'value.format',
  'value.enum',
  'value.list',
  'value.forbidden-in-bulk',
  'value.inactive-status',
  'unique.duplicate',
  'ref.missing',
  'ref.wrong-type',
  'ref.unverified',
  'rule.primary-role',
  'rule.primary-org',
  'rule.value-range',
  'rule.case-identifier',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  file: string;
  line?: number;
  column?: string;
  message: string;
}

/**
 * Collects diagnostics up to a limit. Past it, row-level findings are only counted (the package is
 * still invalid), while file- and package-level findings are always kept: the validator never stops
 * checking structure.
 */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  errors = 0;
  warnings = 0;
  suppressed = 0;

  constructor(readonly limit: number) {}

  add(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    else this.warnings++;
    const structural = d.line === undefined || d.line === 1;
    if (structural || this.list.length < this.limit) this.list.push(d);
    else this.suppressed++;
  }

  error(code: DiagnosticCode, file: string, message: string, line?: number, column?: string): void {
    this.add({ severity: 'error', code, file, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) });
  }

  warn(code: DiagnosticCode, file: string, message: string, line?: number, column?: string): void {
    this.add({ severity: 'warning', code, file, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) });
  }
}

/** `users.csv:12:givenName: error value.required — …` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${d.severity} ${d.code} — ${d.message}`;
}
