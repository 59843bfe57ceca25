import type { OneRosterVersion } from '../client/index.js';
import { DEFAULT_READ_OPTIONS } from '../csv/read-records.js';
import { type ColumnSpec, csvSpec, type FileSpec } from '../csv/spec.js';
import { entityOf, type FieldDef } from '../rest/rest-tables.js';
import { canonicalDateTime, dateOf, flattenMetadata, type Json, list, pairs, type Report, refId, scalar } from './rest-values.js';

/** One record as a row of its CSV file: the standard columns in header order, and its metadata.* values. */
export interface CsvRow {
  cells: string[];
  metadata: Record<string, string> | undefined;
}

/**
 * Turns REST records of one entity into rows of the CSV file of the same name, driven by the entity
 * table (standards/oneroster/rest-entities.json, the one rest/assemble.ts renders from) and the CSV
 * spec (standards/oneroster/csv.json): each CSV column is filled from the REST field stored in it.
 *
 * - Fields of the other version that land in a column of this file are read too, after the version's
 *   own (a 1.2 line item's `gradingPeriod` when it has no `academicSession`): providers mix shapes
 *   (ClassLink serves 1.2 data on 1.1 paths, fact sheet §1).
 * - A 1.1 file keeps 1.1 column names (see COLUMN_11); the import maps 1.1 to the canonical 1.2 model.
 * - Related fields (`roles`, `userProfiles`, `children`, `resources`) are not columns: user-parts.ts
 *   makes roles.csv and userProfiles.csv rows; children and resource links are derived data.
 * - In a bulk (full) file, status and dateLastModified stay blank (fact sheet §8.5); in a delta file they
 *   are copied, the date-time in the CSV's exact form.
 */
export interface RecordConverter {
  file: FileSpec;
  toRow(record: Json, mode: 'bulk' | 'delta', report: Report): CsvRow;
  /** The REST field a CSV column of this file is read from (for locating diagnostics). */
  fieldOf(column: string): string | undefined;
}

/** 1.1 CSV columns whose REST source is not a stored 1.2 column (canonical-row.ts maps them back). */
const COLUMN_11: Readonly<Record<string, Readonly<Record<string, { column?: string; kind?: FieldDef['kind'] }>>>> = {
  users: { role: { kind: 'role11' }, orgSourcedIds: { kind: 'orgs11' } },
  lineItems: { gradingPeriodSourcedId: { column: 'academicSessionSourcedId' } },
};

/**
 * The largest row written: the CSV reader refuses longer records (read-records.ts), and a record it
 * refuses would stop the whole file. Such a record is reported here instead, against its field.
 */
export const MAX_ROW_CHARS = DEFAULT_READ_OPTIONS.maxRecordChars - 1024;

const converters = new Map<string, RecordConverter>();

export function recordConverter(version: OneRosterVersion, fileName: string): RecordConverter {
  const key = `${fileName}@${version}`;
  let c = converters.get(key);
  if (!c) {
    c = build(version, fileName);
    converters.set(key, c);
  }
  return c;
}

function build(version: OneRosterVersion, fileName: string): RecordConverter {
  const file = csvSpec(version).file(fileName);
  if (!file) throw new Error(`${fileName} is not a OneRoster ${version} CSV file`);
  const other: OneRosterVersion = version === '1.1' ? '1.2' : '1.1';
  const own = entityOf(fileName, version).fields;
  const fields = [...own, ...entityOf(fileName, other).fields.filter((f) => !own.some((g) => g.name === f.name))];
  const sources = file.columns.map((column) => ({ column, fields: fields.filter((f) => storedIn(f, column.name, version, fileName)) }));
  const fieldByColumn = new Map(sources.map((s) => [s.column.name, s.fields[0]?.name]));

  return {
    file,
    fieldOf: (column) => (['sourcedId', 'status', 'dateLastModified'].includes(column) ? column : fieldByColumn.get(column)),
    toRow(record, mode, report) {
      const cells = [
        scalar(record.sourcedId ?? '', 'sourcedId', report),
        mode === 'bulk' ? '' : scalar(record.status ?? '', 'status', report),
        mode === 'bulk' ? '' : canonicalDateTime(scalar(record.dateLastModified ?? '', 'dateLastModified', report)),
      ];
      for (const { column, fields: from } of sources) {
        const field = from.find((f) => record[f.name] !== undefined && record[f.name] !== null);
        cells.push(field ? cellOf(field, column, record[field.name], report) : '');
      }
      const metadata = flattenMetadata(record.metadata, 'metadata', report);
      checkCells(
        cells,
        metadata,
        (i) => (i < 3 ? (['sourcedId', 'status', 'dateLastModified'][i] as string) : (fieldByColumn.get(file.header[i] as string) ?? '')),
        report,
      );
      return { cells, metadata };
    },
  };
}

/** Whether REST field `f` is what CSV column `column` of this version's file holds. */
function storedIn(f: FieldDef, column: string, version: OneRosterVersion, fileName: string): boolean {
  const alias = version === '1.1' ? COLUMN_11[fileName]?.[column] : undefined;
  if (alias?.kind) return f.kind === alias.kind;
  return f.column !== undefined && f.column === (alias?.column ?? column) && f.kind !== 'children' && f.kind !== 'linkedResources';
}

function cellOf(f: FieldDef, column: ColumnSpec, v: unknown, report: Report): string {
  switch (f.kind) {
    case 'text':
    case 'role11':
    case 'bool':
    case 'float':
      return scalar(v, f.name, report);
    case 'date':
    case 'datetime': {
      const text = scalar(v, f.name, report);
      return column.kind === 'date' ? dateOf(text) : text;
    }
    case 'list':
      return list(v, f.name, report, (x, at) => scalar(x, at, report));
    case 'ref':
      return refId(v, f.name, report);
    case 'refList':
    case 'orgs11':
      return list(v, f.name, report, (x, at) => refId(x, at, report));
    case 'userIds':
      return pairs(v, f.name, report, ['type', 'identifier']);
    case 'scoreScaleValue':
      return pairs(v, f.name, report, ['itemValueLHS', 'itemValueRHS']);
    case 'children':
    case 'linkedResources':
    case 'roles':
    case 'userProfiles':
      return '';
    default: {
      const never: never = f.kind;
      throw new Error(`unknown field kind ${String(never)}`);
    }
  }
}

/**
 * What no OneRoster CSV row can carry, reported against the field and blanked so the rest of the
 * package still reads one record per line: line breaks (fact sheet §8.1) and rows longer than the
 * reader accepts (the longest values go first until the row fits).
 */
export function checkCells(cells: string[], metadata: Record<string, string> | undefined, fieldAt: (i: number) => string, report: Report): void {
  cells.forEach((c, i) => {
    if (/[\r\n]/.test(c)) {
      report(fieldAt(i), 'contains a line break, which a OneRoster CSV field cannot hold', 'rest.line-break');
      cells[i] = '';
    }
  });
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (/[\r\n]/.test(v)) {
        report(`metadata/${k}`, 'contains a line break, which a OneRoster CSV field cannot hold', 'rest.line-break');
        delete metadata[k];
      }
    }
  }
  const length = () => cells.reduce((n, c) => n + c.length + 1, 0) + Object.values(metadata ?? {}).reduce((n, v) => n + v.length + 1, 0);
  for (let total = length(); total > MAX_ROW_CHARS; total = length()) {
    const longest = cells.reduce((best, c, i) => (c.length > (cells[best] as string).length ? i : best), 0);
    const metaKey = Object.entries(metadata ?? {}).sort((a, b) => b[1].length - a[1].length)[0];
    if (metaKey && metadata && metaKey[1].length > (cells[longest] as string).length) {
      report(
        `metadata/${metaKey[0]}`,
        `is ${metaKey[1].length.toLocaleString('en-US')} characters long; a OneRoster CSV row may hold at most ${MAX_ROW_CHARS.toLocaleString('en-US')}`,
        'rest.too-long',
      );
      delete metadata[metaKey[0]];
      continue;
    }
    report(
      fieldAt(longest),
      `is ${(cells[longest] as string).length.toLocaleString('en-US')} characters long; a OneRoster CSV row may hold at most ${MAX_ROW_CHARS.toLocaleString('en-US')}`,
      'rest.too-long',
    );
    cells[longest] = '';
  }
}
