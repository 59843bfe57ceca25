import type { PackageSource } from '../../packaging/package-source.js';
import type { Diagnostics } from './diagnostics.js';
import { CsvReadError, type ReadOptions, readRecords } from './read-records.js';
import { csvSpec, type FileMode, isVersion, MANIFEST, type OneRosterVersion } from './spec.js';

export const MANIFEST_FILE = 'manifest.csv';

export interface Manifest {
  version: OneRosterVersion;
  /** Every file of the version with its declared mode (a missing row counts as absent, after an error). */
  modes: Map<string, FileMode>;
  source: { systemName?: string; systemCode?: string };
}

/**
 * Reads and checks manifest.csv (§8.3): header `propertyName,value`; `manifest.version` 1.0;
 * `oneroster.version` 1.1 or 1.2; one `file.<name>` row per file of that version with bulk, delta or
 * absent; optional `source.*` rows. Returns undefined when the version cannot be known.
 */
export async function readManifest(pkg: PackageSource, diagnostics: Diagnostics, read: ReadOptions): Promise<Manifest | undefined> {
  if (!pkg.has(MANIFEST_FILE)) {
    diagnostics.error('package.manifest-missing', MANIFEST_FILE, 'the package has no manifest.csv at its root');
    return undefined;
  }
  const rows: { key: string; value: string; line: number }[] = [];
  try {
    await readRecords(
      await pkg.open(MANIFEST_FILE),
      (fields, line) => {
        if (line === 1) {
          if (fields.join(',') !== MANIFEST.header.join(','))
            diagnostics.error('manifest.header', MANIFEST_FILE, `the header must be ${MANIFEST.header.join(',')}, not ${fields.join(',')}`, 1);
          return;
        }
        if (fields.length === 1 && fields[0] === '') return; // a blank line
        if (fields.length !== 2) {
          diagnostics.error('row.width', MANIFEST_FILE, `a manifest row has 2 fields, this one has ${fields.length}`, line);
          return;
        }
        rows.push({ key: fields[0] as string, value: fields[1] as string, line });
        if (rows.length > 1000) throw new CsvReadError('csv.syntax', 'the manifest has more than 1000 rows', line);
      },
      read,
    );
  } catch (err) {
    if (!(err instanceof CsvReadError)) throw err;
    diagnostics.error(err.code, MANIFEST_FILE, err.message, err.line);
    return undefined;
  }

  const seen = new Map<string, number>();
  for (const r of rows) {
    const first = seen.get(r.key);
    if (first !== undefined) diagnostics.error('manifest.duplicate-row', MANIFEST_FILE, `${r.key} appears again (first on line ${first})`, r.line);
    else seen.set(r.key, r.line);
  }
  const value = (key: string) => rows.find((r) => r.key === key);

  const manifestVersion = value('manifest.version');
  if (manifestVersion?.value !== MANIFEST.manifestVersion) {
    diagnostics.error(
      'manifest.version',
      MANIFEST_FILE,
      `manifest.version must be ${MANIFEST.manifestVersion}${manifestVersion ? `, not ${JSON.stringify(manifestVersion.value)}` : ' (the row is missing)'}`,
      manifestVersion?.line,
    );
  }
  const versionRow = value('oneroster.version');
  if (!versionRow || !isVersion(versionRow.value)) {
    diagnostics.error(
      'manifest.oneroster-version',
      MANIFEST_FILE,
      `oneroster.version must be 1.1 or 1.2${versionRow ? `, not ${JSON.stringify(versionRow.value)}` : ' (the row is missing)'}`,
      versionRow?.line,
    );
    return undefined;
  }
  const spec = csvSpec(versionRow.value);
  const modes = new Map<string, FileMode>();
  for (const f of spec.files) {
    const row = value(`file.${f.name}`);
    if (!row) {
      diagnostics.error(
        'manifest.file-row-missing',
        MANIFEST_FILE,
        `file.${f.name} is missing: every file of OneRoster ${spec.version} needs a row (bulk, delta or absent)`,
      );
      modes.set(f.name, 'absent');
    } else if (!(MANIFEST.modes as string[]).includes(row.value)) {
      diagnostics.error('manifest.mode', MANIFEST_FILE, `file.${f.name} must be bulk, delta or absent, not ${JSON.stringify(row.value)}`, row.line);
      modes.set(f.name, 'absent');
    } else {
      modes.set(f.name, row.value as FileMode);
    }
  }
  for (const r of rows) {
    if (r.key === 'manifest.version' || r.key === 'oneroster.version' || MANIFEST.optional.includes(r.key)) continue;
    if (r.key.startsWith('file.') && spec.file(r.key.slice(5))) continue;
    const known = r.key.startsWith('file.') ? `${r.key.slice(5)} is not a file of OneRoster ${spec.version}` : `${r.key} is not a manifest property`;
    // An unknown file is an error (its data would be silently dropped); another property only a warning.
    if (r.key.startsWith('file.')) diagnostics.error('manifest.unknown-row', MANIFEST_FILE, known, r.line);
    else diagnostics.warn('manifest.unknown-row', MANIFEST_FILE, known, r.line);
  }
  return { version: spec.version, modes, source: { systemName: value('source.systemName')?.value, systemCode: value('source.systemCode')?.value } };
}
