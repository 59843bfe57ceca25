import type { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { CanonicalRow } from './canonical-row.js';

/**
 * Rows per batch: large enough to amortise a statement, small enough to bound memory (a COPY batch is
 * held as text, ~6 MB at 20,000 rows).
 */
const INSERT_BATCH = 5000;
const COPY_BATCH = 20_000;

/**
 * Loads canonical rows into roster_import_rows in batches, one array parameter per column (the same
 * statement on PGlite and PostgreSQL). At most one batch is in flight: `add` returns a promise only
 * when the caller must wait, which holds the CSV stream (backpressure) instead of buffering.
 */
export class StagingWriter {
  private buffer: CanonicalRow[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  staged = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly importId: string,
    /** PGlite's COPY FROM '/dev/blob', when the database is PGlite (much faster than INSERT there). */
    private readonly pglite?: PGlite,
  ) {}

  add(row: CanonicalRow): Promise<void> | undefined {
    this.buffer.push(row);
    if (this.buffer.length < (this.pglite ? COPY_BATCH : INSERT_BATCH)) return undefined;
    return this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const rows = this.buffer;
    this.buffer = [];
    const previous = this.inFlight;
    const write = (async () => {
      await previous;
      if (rows.length > 0) await this.insert(rows);
    })();
    this.inFlight = write.catch((err) => {
      this.failure = err;
    });
    // Wait for the previous batch only: one batch is written while the next one is being parsed.
    await previous;
    if (this.failure) throw this.failure;
  }

  /** Writes what is left and waits for every batch. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async insert(rows: CanonicalRow[]): Promise<void> {
    if (this.pglite) return this.copy(rows, this.pglite);
    const col = <T>(f: (r: CanonicalRow) => T) => rows.map(f);
    await sql`
      INSERT INTO roster_import_rows (import_id, file, sourced_id, status, date_last_modified, content_hash, fields, metadata)
      SELECT ${this.importId}::uuid, u.file, u.sid, u.st, u.dlm::timestamptz, decode(u.h, 'hex'), u.f::jsonb, u.m::jsonb
      FROM unnest(${col((r) => r.file)}::text[], ${col((r) => r.sourcedId)}::text[], ${col((r) => r.status)}::text[],
                  ${col((r) => r.dateLastModified ?? null)}::text[], ${col((r) => r.hash.toString('hex'))}::text[],
                  ${col((r) => JSON.stringify(r.fields))}::text[], ${col((r) => (r.metadata ? JSON.stringify(r.metadata) : null))}::text[])
        AS u(file, sid, st, dlm, h, f, m)`.execute(this.db);
    this.staged += rows.length;
  }

  /**
   * COPY in text format from an in-memory blob. Holding the pool's only connection meanwhile keeps
   * the COPY out of any transaction another request may have open on the same PGlite session.
   */
  private async copy(rows: CanonicalRow[], pglite: PGlite): Promise<void> {
    let text = '';
    for (const r of rows) {
      text += `${this.importId}\t${copyText(r.file)}\t${copyText(r.sourcedId)}\t${r.status}\t${r.dateLastModified ?? '\\N'}\t\\\\x${r.hash.toString('hex')}\t${copyText(JSON.stringify(r.fields))}\t${r.metadata ? copyText(JSON.stringify(r.metadata)) : '\\N'}\n`;
    }
    await this.db.connection().execute(async () => {
      await pglite.query(
        "COPY roster_import_rows (import_id, file, sourced_id, status, date_last_modified, content_hash, fields, metadata) FROM '/dev/blob' WITH (FORMAT text)",
        [],
        { blob: new Blob([text]) },
      );
    });
    this.staged += rows.length;
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped (JSON text has no raw controls). */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}
