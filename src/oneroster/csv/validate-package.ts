import { PackageError } from '../../packaging/package-error.js';
import type { PackageSource } from '../../packaging/package-source.js';
import { type Diagnostic, Diagnostics } from './diagnostics.js';
import { FileChecker } from './file-checker.js';
import { IdSet } from './id-set.js';
import { MANIFEST_FILE, type Manifest, readManifest } from './manifest.js';
import { PrimaryOrgRule } from './primary-org-rule.js';
import { CsvReadError, DEFAULT_READ_OPTIONS, type ReadOptions, readRecords } from './read-records.js';
import { References, type StoredLookup, type TargetFile } from './references.js';
import { type CsvSpec, csvSpec, type FileMode, type FileSpec, type OneRosterVersion } from './spec.js';

/** Receives the rows of one file as they are checked (import loads them into staging in the same pass). */
export interface FileRowSink {
  /**
   * Called for every row; `clean` is false when the row had an error (the import will not commit
   * anyway). A returned promise holds the stream until it settles (backpressure).
   */
  row(fields: string[], clean: boolean): undefined | Promise<void>;
  end(): Promise<void>;
}
export type RowSink = (file: FileSpec, mode: 'bulk' | 'delta', header: string[], version: OneRosterVersion) => Promise<FileRowSink>;

export interface ValidateOptions {
  /** Row-level diagnostics kept before the rest are only counted. */
  maxDiagnostics?: number;
  read?: ReadOptions;
  sink?: RowSink;
  /** The tenant's stored records, for references that leave the package (delta, absent files). */
  lookup?: StoredLookup;
}

export interface FileReport {
  name: string;
  mode: FileMode;
  rows: number;
}

export interface ValidationReport {
  valid: boolean;
  version?: OneRosterVersion;
  manifest?: Manifest;
  files: FileReport[];
  errors: number;
  warnings: number;
  /** Row-level diagnostics past the limit: counted, not listed. */
  suppressed: number;
  diagnostics: Diagnostic[];
}

class StopFile extends Error {}

/**
 * Validates a OneRoster CSV package against every rule of the binding (fact sheet §8), streaming each
 * file once, in an order where referenced files come before the files that reference them.
 */
export async function validatePackage(pkg: PackageSource, options: ValidateOptions = {}): Promise<ValidationReport> {
  const diagnostics = new Diagnostics(options.maxDiagnostics ?? 1000);
  const read = options.read ?? DEFAULT_READ_OPTIONS;
  const manifest = await readManifest(pkg, diagnostics, read);
  if (!manifest) return report(diagnostics, undefined, []);
  const spec = csvSpec(manifest.version);
  const present = checkEntries(pkg, spec, manifest, diagnostics);

  const targets = new Map<string, TargetFile>();
  const references = new References(diagnostics, (name) => targets.get(name));
  const primaryOrg = new PrimaryOrgRule();
  const files: FileReport[] = spec.files.map((f) => ({ name: f.name, mode: manifest.modes.get(f.name) ?? 'absent', rows: 0 }));

  for (const file of referenceOrder(present)) {
    const mode = manifest.modes.get(file.name) as 'bulk' | 'delta';
    const checker = await checkFile(pkg, file, mode, spec.version, diagnostics, { references, primaryOrg }, read, options.sink, (c) => {
      // Registered as soon as the header passes: rows may reference their own file (org parents).
      targets.set(file.name, { state: 'reading', mode, ids: c.ids, orgTypes: c.orgTypes });
    });
    const target = targets.get(file.name);
    if (checker && target) {
      target.state = 'complete';
      (files.find((f) => f.name === file.name) as FileReport).rows = checker.rows;
    } else {
      targets.set(file.name, { state: 'broken', mode, ids: new IdSet(0), orgTypes: new Map() });
    }
    references.fileDone(file.name);
  }
  primaryOrg.finish(diagnostics, targets.get('roles')?.state === 'broken' ? 'broken' : (manifest.modes.get('roles') ?? 'absent'));
  await references.resolveStored(options.lookup);
  return report(diagnostics, manifest, files);
}

/** Streams one file through its checker (and the sink). Returns undefined when the file could not be read as a whole. */
async function checkFile(
  pkg: PackageSource,
  file: FileSpec,
  mode: 'bulk' | 'delta',
  version: OneRosterVersion,
  diagnostics: Diagnostics,
  rules: { references: References; primaryOrg: PrimaryOrgRule },
  read: ReadOptions,
  sink: RowSink | undefined,
  onChecker: (checker: FileChecker) => void,
): Promise<FileChecker | undefined> {
  const name = `${file.name}.csv`;
  let checker: FileChecker | undefined;
  let rowSink: FileRowSink | undefined;
  let headerSeen = false;
  try {
    await readRecords(
      await pkg.open(name),
      (fields, line) => {
        if (!headerSeen) {
          headerSeen = true;
          if (!checkHeader(file, fields, diagnostics)) throw new StopFile();
          checker = new FileChecker(file, mode, fields, diagnostics, rules.references, rules.primaryOrg);
          onChecker(checker);
          // Opened only once the header passed, so a rejected file loads nothing. Rows stay synchronous.
          return sink?.(file, mode, fields, version).then((s) => {
            rowSink = s;
          });
        }
        const clean = (checker as FileChecker).check(fields, line);
        return rowSink?.row(fields, clean);
      },
      read,
    );
  } catch (err) {
    if (err instanceof CsvReadError) diagnostics.error(err.code, name, err.message, err.line);
    else if (err instanceof PackageError) diagnostics.error('package.unreadable', name, `${err.message} [${err.code}]`);
    else if (!(err instanceof StopFile)) throw err;
    return undefined;
  }
  await rowSink?.end();
  if (!headerSeen) {
    diagnostics.error('file.empty', name, 'the file is empty; a file without rows must be declared absent in the manifest and left out', 1);
    return undefined;
  }
  if ((checker as FileChecker).rows === 0)
    diagnostics.error('file.empty', name, 'the file has a header but no rows; declare it absent in the manifest and leave it out', 1);
  return checker;
}

/** Exact header (§8.6): the spec's columns in order, no duplicates, then only metadata.* extension columns. */
function checkHeader(file: FileSpec, header: string[], diagnostics: Diagnostics): boolean {
  const name = `${file.name}.csv`;
  const duplicates = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicates.length > 0) {
    diagnostics.error('header.duplicate', name, `the header repeats ${[...new Set(duplicates)].join(', ')}`, 1);
    return false;
  }
  const expected = file.header;
  const standard = header.slice(0, expected.length);
  const extra = header.slice(expected.length);
  if (standard.join(',') === expected.join(',') && extra.every((h) => h.startsWith('metadata.') && h.length > 'metadata.'.length)) return true;
  const firstDiff = expected.findIndex((h, i) => header[i] !== h);
  const detail =
    firstDiff >= 0
      ? `column ${firstDiff + 1} must be ${expected[firstDiff]}${header[firstDiff] !== undefined ? `, not ${header[firstDiff]}` : ' (the header ends early)'}`
      : `extra columns must be metadata.<name> extensions: ${extra.filter((h) => !h.startsWith('metadata.')).join(', ')}`;
  diagnostics.error('header.mismatch', name, `the header does not match OneRoster: ${detail}. Expected: ${expected.join(',')}`, 1);
  return false;
}

/** Which declared files are in the package, and what else is in it (§8.3: declared ⇔ present). */
function checkEntries(pkg: PackageSource, spec: CsvSpec, manifest: Manifest, diagnostics: Diagnostics): FileSpec[] {
  const entryNames = new Set(pkg.entries().map((e) => e.name));
  for (const name of entryNames) {
    if (name === MANIFEST_FILE) continue;
    const base = name.endsWith('.csv') ? name.slice(0, -4) : undefined;
    const file = base !== undefined && !base.includes('/') ? spec.file(base) : undefined;
    if (file) {
      if (manifest.modes.get(file.name) === 'absent')
        diagnostics.error('package.file-not-declared', name, `${name} is in the package but the manifest declares file.${file.name} absent`);
    } else if (base !== undefined && !name.startsWith('__MACOSX/')) {
      diagnostics.error(
        'package.unknown-file',
        name,
        `${name} is not a file of OneRoster ${spec.version}${base.includes('/') ? ' (files must be at the root of the package)' : ''}`,
      );
    } else {
      diagnostics.warn('package.ignored-entry', name, `${name} is not part of a OneRoster package and was ignored`);
    }
  }
  const present: FileSpec[] = [];
  for (const f of spec.files) {
    const mode = manifest.modes.get(f.name);
    if (mode === 'absent') continue;
    if (entryNames.has(`${f.name}.csv`)) present.push(f);
    else diagnostics.error('package.file-missing', `${f.name}.csv`, `the manifest declares file.${f.name} ${mode} but ${f.name}.csv is not in the package`);
  }
  return present;
}

/** Present files ordered so each comes after the files it references (self-references excepted). */
function referenceOrder(present: FileSpec[]): FileSpec[] {
  const names = new Set(present.map((f) => f.name));
  const deps = new Map(present.map((f) => [f.name, new Set(f.columns.map((c) => c.target).filter((t): t is string => !!t && t !== f.name && names.has(t)))]));
  const ordered: FileSpec[] = [];
  const done = new Set<string>();
  while (ordered.length < present.length) {
    const next = present.find((f) => !done.has(f.name) && [...(deps.get(f.name) ?? [])].every((d) => done.has(d)));
    const pick = next ?? (present.find((f) => !done.has(f.name)) as FileSpec); // a cycle: fall back to manifest order
    ordered.push(pick);
    done.add(pick.name);
  }
  return ordered;
}

function report(diagnostics: Diagnostics, manifest: Manifest | undefined, files: FileReport[]): ValidationReport {
  return {
    valid: diagnostics.errors === 0,
    ...(manifest ? { version: manifest.version, manifest } : {}),
    files,
    errors: diagnostics.errors,
    warnings: diagnostics.warnings,
    suppressed: diagnostics.suppressed,
    diagnostics: diagnostics.list,
  };
}
