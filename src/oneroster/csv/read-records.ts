import { Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { DiagnosticCode } from './diagnostics.js';

/** A failure that ends the reading of one file, with the line it happened on. */
export class CsvReadError extends Error {
  override readonly name = 'CsvReadError';
  constructor(
    readonly code: Extract<DiagnosticCode, 'csv.encoding' | 'csv.syntax' | 'csv.record-too-large'>,
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface ReadOptions {
  /** Longest record accepted, in characters; a longer one (a "2 GB line") stops the file early. */
  maxRecordChars: number;
}

export const DEFAULT_READ_OPTIONS: ReadOptions = { maxRecordChars: 1024 * 1024 };

/**
 * Decodes UTF-8 strictly (invalid bytes are an error, not U+FFFD) and drops a leading BOM, counting
 * lines so an encoding error can say where it is.
 */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private lines = 1;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.emitDecoded(() => this.decoder.decode(chunk, { stream: true }), chunk, done);
  }

  override _flush(done: TransformCallback): void {
    this.emitDecoded(() => this.decoder.decode(), undefined, done);
  }

  private emitDecoded(decode: () => string, chunk: Buffer | undefined, done: TransformCallback): void {
    let text: string;
    try {
      text = decode();
    } catch {
      // Only on this error path: find the bad byte to name its line.
      const line = this.lines + (chunk ? countNewlines(chunk, firstInvalidUtf8(chunk)) : 0);
      done(new CsvReadError('csv.encoding', `the file is not valid UTF-8 (an invalid byte sequence on line ${line})`, line));
      return;
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines++;
    done(null, text);
  }
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Offset of the first byte that cannot start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return i; // truncated at the end of the chunk: the sequence continues in the next one
      if ((c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return buf.length;
}

/**
 * Streams a CSV byte stream (RFC 4180; LF or CRLF; optional BOM) and calls `onRecord` for each record
 * with its fields and its line number (the header is line 1); a callback that returns a promise holds
 * the stream until it settles. Memory is bounded by the record-size
 * limit, not by the file. Rejects with CsvReadError for broken encoding, broken quoting or an
 * oversized record.
 */
export async function readRecords(
  source: NodeJS.ReadableStream,
  onRecord: (fields: string[], line: number) => void | Promise<void>,
  options: ReadOptions = DEFAULT_READ_OPTIONS,
): Promise<void> {
  const parser = parse({
    relax_column_count: true,
    max_record_size: options.maxRecordChars,
    skip_empty_lines: false,
    info: true,
  });
  // csv-parse reports the line a record ends on; a record starts on the line after the previous one ended.
  let lastEnd = 0;
  let line = 0;
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 256,
    write(item: { record: string[]; info: { lines: number } }, _encoding, done) {
      line = lastEnd + 1;
      lastEnd = item.info.lines;
      try {
        const pending = onRecord(item.record, line);
        if (pending) pending.then(() => done(), done);
        else done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    await pipeline(source, new StrictUtf8(), parser, sink);
  } catch (err) {
    throw translate(err, line);
  }
}

function translate(err: unknown, lastLine: number): unknown {
  if (err instanceof CsvReadError) return err;
  const e = err as { code?: string; message?: string; lines?: number };
  const at = typeof e.lines === 'number' ? e.lines : lastLine + 1;
  if (e.code === 'CSV_MAX_RECORD_SIZE') {
    return new CsvReadError('csv.record-too-large', `a record on line ${at} is longer than the limit; the rest of the file was not read`, at);
  }
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    return new CsvReadError('csv.syntax', `the CSV is malformed near line ${at}: ${(e.message ?? e.code).replace(/^Invalid Record Length: /, '')}`, at);
  }
  return err;
}
