import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { entryLabel, PackageError } from './package-error.js';
import { entryNameProblem } from './package-source.js';

/**
 * Every entry gets the same timestamp and mode, so the same files always make the same bytes
 * (reproducible exports, stable ETags). DOS timestamps are local time, so the date is built in local
 * time and the UTC extra field is left out (forceDosTimestamp): 1980-01-01 00:00 in every time zone.
 */
const ENTRY_OPTIONS = { mtime: new Date(1980, 0, 1), forceDosTimestamp: true, mode: 0o100644 };

export interface ZipWriter {
  /** The zip as it is produced. Pipe it anywhere, before or after end(); data flows as it is read. */
  readonly output: Readable;
  /** Adds an entry read from `stream` when its turn comes, so entries are never held whole in memory. */
  addStream(name: string, stream: Readable): void;
  addBuffer(name: string, data: Buffer): void;
  /** No more entries: the central directory follows the last one. Returns `output`. */
  end(): Readable;
}

/**
 * A streaming zip writer. Names must pass the same rule the readers apply, and may not repeat, so what
 * it writes can be read back. An error in any input stream fails `output`, and destroying `output`
 * (a client that went away) releases every input stream.
 */
export function createZipWriter(): ZipWriter {
  const zip = new yazl.ZipFile();
  // yazl's outputStream is a PassThrough; its types declare the looser NodeJS.ReadableStream.
  const output = zip.outputStream as Readable;
  const inputs: Readable[] = [];
  const names = new Set<string>();

  const fail = (err: Error) => output.destroy(err);
  zip.on('error', fail); // yazl reports input and size errors on the ZipFile, which would crash the process unheard
  output.once('close', () => {
    for (const input of inputs) input.destroy();
  });

  function claim(name: string): void {
    const problem = entryNameProblem(name);
    if (problem !== undefined) throw new PackageError('unsafe-path', `${entryLabel(name)} ${problem}`, name);
    if (names.has(name)) throw new PackageError('duplicate-entry', `${entryLabel(name)} was already added`, name);
    names.add(name);
  }

  return {
    output,
    addStream(name, stream) {
      claim(name);
      inputs.push(stream);
      stream.on('error', fail); // listened to now: a stream still waiting its turn may fail before yazl reads it
      zip.addReadStream(stream, name, ENTRY_OPTIONS);
    },
    addBuffer(name, data) {
      claim(name);
      zip.addBuffer(data, name, ENTRY_OPTIONS);
    },
    end() {
      zip.end();
      return output;
    },
  };
}
