import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { type CsvSpec, csvSpec, type FileMode, type FileSpec, MANIFEST, ONEROSTER_VERSIONS } from '../../src/oneroster/csv/spec.js';
import { csvLine } from './csv-line.js';

/**
 * Streams a OneRoster CSV package into a directory. Column order comes only from the spec table
 * (standards/oneroster/csv.json): a row is a record keyed by column name, and the writer lays it out
 * in the header's order, so reordering the table reorders the output.
 */

/** One CSV row by column name; lists are arrays and are written comma-separated in one field (§8.1). */
export type Row = Readonly<Record<string, string | readonly string[] | undefined>>;
/** The rows of one file, produced lazily; a file whose source yields nothing is declared absent. */
export type RowSource = () => Iterable<Row>;

export interface WriteOptions {
  mode: 'bulk' | 'delta';
  /** Delta mode: every row's dateLastModified. Bulk mode leaves it blank (§8.5). */
  dateLastModified: string;
  systemName: string;
  systemCode: string;
}

export interface FileCount {
  name: string;
  mode: FileMode;
  rows: number;
}

/** Strings are buffered up to this size between writes, so a row costs no system call. */
const CHUNK_CHARS = 1 << 16;

export async function writePackage(dir: string, spec: CsvSpec, sources: Readonly<Record<string, RowSource>>, options: WriteOptions): Promise<FileCount[]> {
  const unknown = Object.keys(sources).filter((name) => !ONEROSTER_VERSIONS.some((v) => csvSpec(v).file(name)));
  if (unknown.length > 0) throw new Error(`no OneRoster file is called ${unknown.join(', ')}`);
  await mkdir(dir, { recursive: true });
  // A package must hold exactly the files its manifest declares (§8.3); leftovers of an earlier run would break that.
  if ((await readdir(dir)).length > 0) throw new Error(`${dir} is not empty; write the package into a new or empty directory`);

  const base = options.mode === 'bulk' ? { status: '', dateLastModified: '' } : { status: 'active', dateLastModified: options.dateLastModified };
  const counts: FileCount[] = [];
  for (const file of spec.files) {
    const source = sources[file.name];
    const rows = source ? await writeRows(join(dir, `${file.name}.csv`), file, source(), base) : 0;
    counts.push({ name: file.name, mode: rows > 0 ? options.mode : 'absent', rows });
  }
  await writeFile(join(dir, 'manifest.csv'), manifest(spec, counts, options));
  return counts;
}

/** §8.3: every file of the version, in table order, then the optional source rows. */
function manifest(spec: CsvSpec, counts: readonly FileCount[], options: WriteOptions): string {
  const rows = [
    MANIFEST.header,
    ['manifest.version', MANIFEST.manifestVersion],
    ['oneroster.version', spec.version],
    ...counts.map((c) => [`file.${c.name}`, c.mode]),
    ['source.systemName', options.systemName],
    ['source.systemCode', options.systemCode],
  ];
  return rows.map(csvLine).join('');
}

/** Writes header and rows; the file is created only when the first row arrives, since empty files are forbidden (§8.1). */
async function writeRows(path: string, file: FileSpec, rows: Iterable<Row>, base: { status: string; dateLastModified: string }): Promise<number> {
  const known = columnsOfAnyVersion(file.name);
  const header = file.header;
  const values: string[] = new Array(header.length);
  let out: ReturnType<typeof createWriteStream> | undefined;
  let closed: Promise<void> | undefined;
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    if (!out) {
      out = createWriteStream(path, { flags: 'wx' });
      closed = finished(out);
      closed.catch(() => {}); // awaited below; this only keeps an early error from being reported as unhandled
      chunk = csvLine(header);
    }
    for (const key in row) if (!known.has(key)) throw new Error(`${file.name}: a row has a column the table does not know: ${key}`);
    for (let i = 0; i < header.length; i++) {
      const column = header[i] as string;
      const v = column === 'status' ? base.status : column === 'dateLastModified' ? base.dateLastModified : row[column];
      values[i] = v === undefined ? '' : typeof v === 'string' ? v : v.join(',');
    }
    chunk += csvLine(values);
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (!out) return 0;
  out.end(chunk);
  await closed;
  return count;
}

/**
 * The columns a row may carry: the file's columns in any version. The row builders describe an entity
 * once for both versions (a 1.1 user's role, a 1.2 user's primaryOrgSourcedId) and the table picks;
 * a name in no version is a typo and stops the run rather than vanishing.
 */
function columnsOfAnyVersion(name: string): ReadonlySet<string> {
  const columns = ONEROSTER_VERSIONS.flatMap(
    (v) =>
      csvSpec(v)
        .file(name)
        ?.columns.map((c) => c.name) ?? [],
  );
  // status and dateLastModified are not the row's to set: they follow from the mode.
  return new Set(['sourcedId', ...columns]);
}
