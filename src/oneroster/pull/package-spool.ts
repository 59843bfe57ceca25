import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { OneRosterVersion } from '../client/index.js';
import { neutralizeFormula } from '../csv/formula-cells.js';
import { MANIFEST_FILE } from '../csv/manifest.js';
import { csvSpec, type FileSpec, MANIFEST } from '../csv/spec.js';
import type { CsvRow } from './convert-record.js';

/** Where a CSV row came from: the collection read, the record, and for a derived row its part (`roles/0`). */
export interface RowOrigin {
  endpoint: string;
  sourcedId: string;
  part?: string;
}

interface SpooledLine {
  o: RowOrigin;
  c: string[];
  m?: Record<string, string>;
}

/**
 * The rows of one CSV file as they arrive, one JSON line each, on disk: memory holds one record at a
 * time, whatever the roster's size. A spool becomes its CSV file once every page has been read, because
 * only then are its metadata.* columns known (a header comes first, fact sheet §8.1). The spool is kept
 * afterwards: row n of the CSV file is line n of the spool, which is how a diagnostic's line finds its
 * REST record (locate-diagnostics.ts).
 */
export class FileSpool {
  rows = 0;
  readonly metadataKeys = new Set<string>();
  private readonly out: WriteStream;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    readonly file: FileSpec,
  ) {
    this.out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.out.on('error', (err) => {
      this.failure = err;
    });
  }

  async add(origin: RowOrigin, row: CsvRow): Promise<void> {
    if (this.failure) throw this.failure;
    this.rows++;
    for (const k of Object.keys(row.metadata ?? {})) this.metadataKeys.add(k);
    const line: SpooledLine = { o: origin, c: row.cells, ...(row.metadata ? { m: row.metadata } : {}) };
    if (!this.out.write(`${JSON.stringify(line)}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (this.out.closed) return;
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failure) throw this.failure;
  }

  async *lines(): AsyncGenerator<SpooledLine> {
    const input = createReadStream(this.path);
    try {
      for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) yield JSON.parse(text) as SpooledLine;
    } finally {
      input.destroy();
    }
  }

  /** The spool as its CSV file: header (metadata.* columns sorted, after the standard ones), then the rows. */
  async writeCsv(path: string): Promise<void> {
    const keys = [...this.metadataKeys].sort();
    const text = new Set(this.file.columns.filter((c) => c.kind === 'string').map((c) => c.name));
    // Free-text cells are written as the CSV export writes them (formula-cells.ts); the import undoes it.
    const neutral = this.file.header.map((h) => text.has(h));
    const file = this.file;
    const spool = this;
    async function* records(): AsyncGenerator<string[]> {
      yield [...file.header, ...keys.map((k) => `metadata.${k}`)];
      for await (const line of spool.lines()) {
        yield [...line.c.map((c, i) => (neutral[i] ? neutralizeFormula(c) : c)), ...keys.map((k) => neutralizeFormula(line.m?.[k] ?? ''))];
      }
    }
    await pipeline(Readable.from(records()), stringify({ record_delimiter: '\r\n' }), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  }
}

/**
 * Writes the package into `dir`: each spool with rows as `<file>.csv` in the mode asked, every other
 * file of the version `absent` in the manifest (fact sheet §8.3: no empty files).
 */
export async function writePackage(dir: string, version: OneRosterVersion, spools: Map<string, FileSpool>, mode: 'bulk' | 'delta'): Promise<void> {
  const rows = [MANIFEST.header, ['manifest.version', MANIFEST.manifestVersion], ['oneroster.version', version]];
  for (const f of csvSpec(version).files) {
    const spool = spools.get(f.name);
    const present = spool !== undefined && spool.rows > 0;
    rows.push([`file.${f.name}`, present ? mode : 'absent']);
    if (present) await spool.writeCsv(join(dir, `${f.name}.csv`));
  }
  rows.push(['source.systemName', 'EdHub OneRoster pull'], ['source.systemCode', 'edhub-pull']);
  await writeFile(join(dir, MANIFEST_FILE), `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, { flag: 'wx', mode: 0o600 });
}
