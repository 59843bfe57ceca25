import type { BulkLoader } from '../../../db/database.js';
import type { CanonicalRow } from './canonical-row.js';

/** Rows per COPY: large enough to amortise a statement, small enough to bound memory (~6 MB of text). */
const BATCH = 20_000;
const TARGET = 'roster_import_rows (import_id, file, sourced_id, status, date_last_modified, content_hash, fields, metadata)';

/**
 * Loads canonical rows into roster_import_rows with COPY, in batches. At most one batch is in flight:
 * `add` returns a promise only when the caller must wait, which holds the CSV stream (backpressure)
 * instead of buffering; one batch is written while the next is being parsed.
 */
export class StagingWriter {
  private buffer: CanonicalRow[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  staged = 0;

  constructor(
    private readonly copyIn: BulkLoader,
    private readonly importId: string,
  ) {}

  add(row: CanonicalRow): Promise<void> | undefined {
    this.buffer.push(row);
    if (this.buffer.length < BATCH) return undefined;
    return this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const rows = this.buffer;
    this.buffer = [];
    const previous = this.inFlight;
    const write = (async () => {
      await previous;
      if (rows.length > 0) await this.copy(rows);
    })();
    this.inFlight = write.catch((err) => {
      this.failure = err;
    });
    await previous;
    if (this.failure) throw this.failure;
  }

  /** Writes what is left and waits for every batch. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async copy(rows: CanonicalRow[]): Promise<void> {
    let text = '';
    for (const r of rows) {
      text += `${this.importId}\t${copyText(r.file)}\t${copyText(r.sourcedId)}\t${r.status}\t${r.dateLastModified ?? '\\N'}\t\\\\x${r.hash.toString('hex')}\t${copyText(r.fieldsJson)}\t${r.metadataJson === undefined ? '\\N' : copyText(r.metadataJson)}\n`;
    }
    await this.copyIn(TARGET, text);
    this.staged += rows.length;
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped (JSON text has no raw controls). */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}
