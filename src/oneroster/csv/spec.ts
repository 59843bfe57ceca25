import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsDir } from '../../paths.js';

/** The OneRoster CSV binding, read from standards/oneroster/csv.json (the one place it is written down). */
export type OneRosterVersion = '1.1' | '1.2';
export const ONEROSTER_VERSIONS: readonly OneRosterVersion[] = ['1.1', '1.2'];
export type FileMode = 'bulk' | 'delta' | 'absent';

export type ColumnKind =
  | 'string'
  | 'date'
  | 'datetime'
  | 'year'
  | 'boolean'
  | 'float'
  | 'enum'
  | 'enumList'
  | 'list'
  | 'ref'
  | 'refList'
  | 'userIds'
  | 'scoreScaleValue';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  required: boolean;
  vocabulary?: string;
  /** For ref/refList: the file whose sourcedIds it names. */
  target?: string;
  /** For references to orgs: the org type the target must have (e.g. school). */
  targetType?: string;
}

export interface FileSpec {
  name: string;
  entity: string;
  /** The columns after the base columns, in spec order. */
  columns: ColumnSpec[];
  /** The full header: base columns then columns. */
  header: string[];
}

export interface Vocabulary {
  values: ReadonlySet<string>;
  extensible: boolean;
}

interface CsvStandardFile {
  baseColumns: string[];
  manifest: { header: string[]; manifestVersion: string; modes: FileMode[]; optional: string[] };
  formats: Record<'guid' | 'date' | 'datetime' | 'year' | 'extension', string>;
  vocabularies: Record<string, { values: string[]; extensible: boolean }>;
  versions: Record<OneRosterVersion, { files: Omit<FileSpec, 'header'>[] }>;
}

const raw = JSON.parse(readFileSync(join(standardsDir, 'oneroster/csv.json'), 'utf8')) as CsvStandardFile;

export const BASE_COLUMNS = raw.baseColumns;
export const MANIFEST = raw.manifest;
export const FORMATS = Object.fromEntries(Object.entries(raw.formats).map(([k, v]) => [k, new RegExp(v)])) as Record<keyof CsvStandardFile['formats'], RegExp>;
export const VOCABULARIES: ReadonlyMap<string, Vocabulary> = new Map(
  Object.entries(raw.vocabularies).map(([name, v]) => [name, { values: new Set(v.values), extensible: v.extensible }]),
);

export interface CsvSpec {
  version: OneRosterVersion;
  /** In manifest order. */
  files: FileSpec[];
  file(name: string): FileSpec | undefined;
}

const specs = new Map<OneRosterVersion, CsvSpec>(
  ONEROSTER_VERSIONS.map((version) => {
    const files = raw.versions[version].files.map((f) => ({ ...f, header: [...raw.baseColumns, ...f.columns.map((c) => c.name)] }));
    const byName = new Map(files.map((f) => [f.name, f]));
    return [version, { version, files, file: (name: string) => byName.get(name) }];
  }),
);

export function csvSpec(version: OneRosterVersion): CsvSpec {
  return specs.get(version) as CsvSpec;
}

export function isVersion(v: string): v is OneRosterVersion {
  return (ONEROSTER_VERSIONS as readonly string[]).includes(v);
}
