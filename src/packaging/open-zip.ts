import { pipeline, type Readable, Transform } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { entryLabel, PackageError } from './package-error.js';
import {
  COMPRESSION_RATIO_FLOOR_BYTES,
  checkDeclaredSize,
  checkEntryCount,
  DEFAULT_PACKAGE_LIMITS,
  formatNumber,
  type PackageLimits,
} from './package-limits.js';
import { entryNameProblem, type PackageEntry, type PackageSource } from './package-source.js';

// APPNOTE.TXT 4.4.5 compression methods, 4.4.4 general purpose bit flags.
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * yauzl reads the central directory one record at a time (lazyEntries) and leaves closing to us
 * (autoClose: false), because the package stays open while importers stream its entries.
 * Names and stored sizes are checked here rather than by yauzl (decodeStrings and validateEntrySizes
 * off): yauzl refuses with a bare Error before we see the entry, and a refusal must carry its code and
 * the entry's name. Entry data is read raw and inflated here for the same reason (see guardEntryData).
 */
const YAUZL_OPTIONS: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };

/** Opens a zip file on disk, refusing it (a PackageError) if it breaks a limit or holds an unsafe entry. */
export async function openZip(path: string, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<PackageSource> {
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.openPromise(path, YAUZL_OPTIONS);
  } catch (err) {
    if (isSystemError(err)) throw err; // a missing or unreadable path is the caller's problem, not the package's
    throw unreadableZip(err);
  }
  return readPackage(zipfile, limits);
}

/** Opens a zip held in memory: small uploads, and tests. */
export async function openZipBuffer(buffer: Buffer, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<PackageSource> {
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.fromBufferPromise(buffer, YAUZL_OPTIONS);
  } catch (err) {
    throw unreadableZip(err);
  }
  return readPackage(zipfile, limits);
}

/** Reads and checks every central-directory record before any data is read, so a bad package is refused whole. */
async function readPackage(zipfile: yauzl.ZipFile, limits: PackageLimits): Promise<PackageSource> {
  // An error from closing the file descriptor arrives after we stopped listening; without a listener it would crash the process.
  zipfile.on('error', () => {});
  try {
    checkEntryCount(zipfile.entryCount, limits); // from the end record: refuses before reading a single entry
    const files = new Map<string, yauzl.Entry>();
    let total = 0;
    for await (const record of zipfile.eachEntry()) {
      const name = decodeName(record);
      if (name.endsWith('/')) {
        checkName(name.slice(0, -1)); // a folder holds no data, but a hostile folder name still says what the package is
        continue;
      }
      checkName(name);
      if (files.has(name)) throw new PackageError('duplicate-entry', `${entryLabel(name)} appears more than once in the package`, name);
      checkReadable(name, record);
      total = checkDeclaredSize(name, record.uncompressedSize, total, limits);
      checkCompressionRatio(name, record, limits);
      files.set(name, record);
    }
    return zipSource(zipfile, files);
  } catch (err) {
    zipfile.close();
    throw err instanceof PackageError ? err : unreadableZip(err);
  }
}

/** The name as the archive means it: UTF-8 when flagged, CP437 otherwise, the Info-ZIP Unicode Path field when valid; backslashes kept (strict) so checkName sees them. */
function decodeName(record: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(record.generalPurposeBitFlag, record.fileNameRaw, record.extraFields, true);
}

function checkName(name: string): void {
  const problem = entryNameProblem(name);
  if (problem !== undefined) {
    throw new PackageError('unsafe-path', `${entryLabel(name)} ${problem}; entries must be relative paths inside the package`, name);
  }
}

/** Refuses what this reader cannot turn back into the entry's bytes. */
function checkReadable(name: string, record: yauzl.Entry): void {
  if (record.generalPurposeBitFlag & FLAG_ENCRYPTED) {
    throw new PackageError('encrypted', `${entryLabel(name)} is encrypted; send the package without a password`, name);
  }
  if (record.compressionMethod !== STORED && record.compressionMethod !== DEFLATED) {
    throw new PackageError(
      'unsupported',
      `${entryLabel(name)} uses compression method ${record.compressionMethod}; only stored and deflated entries are read`,
      name,
    );
  }
  // Unix file type in the high half of the external attributes (APPNOTE 4.4.15, as Info-ZIP writes it).
  if (((record.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
    throw new PackageError('unsupported', `${entryLabel(name)} is a symbolic link; packages must hold regular files`, name);
  }
  if (record.compressionMethod === STORED && record.compressedSize !== record.uncompressedSize) {
    throw new PackageError(
      'size-mismatch',
      `${entryLabel(name)} is stored uncompressed but declares ${formatNumber(record.compressedSize)} bytes stored and ${formatNumber(record.uncompressedSize)} unpacked`,
      name,
    );
  }
}

function checkCompressionRatio(name: string, record: yauzl.Entry, limits: PackageLimits): void {
  const size = record.uncompressedSize;
  if (size <= COMPRESSION_RATIO_FLOOR_BYTES || size <= record.compressedSize * limits.maxCompressionRatio) return;
  const ratio = record.compressedSize === 0 ? 'without limit' : `${Math.round(size / record.compressedSize)}×`;
  throw new PackageError(
    'compression-ratio',
    `${entryLabel(name)} would inflate ${ratio}, from ${formatNumber(record.compressedSize)} to ${formatNumber(size)} bytes; at most ${limits.maxCompressionRatio}× is accepted`,
    name,
  );
}

function zipSource(zipfile: yauzl.ZipFile, files: Map<string, yauzl.Entry>): PackageSource {
  const entries: PackageEntry[] = [...files].map(([name, record]) => ({ name, size: record.uncompressedSize }));
  let closed = false;
  return {
    kind: 'zip',
    entries: () => entries.map((e) => ({ ...e })),
    has: (name) => files.has(name),
    async open(name) {
      if (closed) throw new Error('the package is closed');
      const record = files.get(name);
      if (record === undefined) throw new PackageError('not-found', `the package holds no ${entryLabel(name)}`, name);
      return openEntry(zipfile, name, record);
    },
    async close() {
      closed = true;
      zipfile.close(); // the file itself closes once streams still being read have ended
    },
  };
}

async function openEntry(zipfile: yauzl.ZipFile, name: string, record: yauzl.Entry): Promise<Readable> {
  let raw: Readable;
  try {
    raw = await zipfile.openReadStreamPromise(record, { decodeFileData: false });
  } catch (err) {
    throw corruptEntry(name, err);
  }
  const guard = guardEntryData(name, record);
  const stages = record.compressionMethod === DEFLATED ? [raw, createInflateRaw()] : [raw];
  // Errors of every stage reach the caller on `guard`, translated there; destroying `guard` stops the others.
  pipeline([...stages, guard], () => {});
  return guard;
}

/**
 * Counts the entry's bytes as they are inflated and fails the stream as soon as they pass the declared
 * size. The declared size already passed the limits, so a header that lies about it can make us inflate
 * at most one chunk more than the limits allow. At the end, the CRC-32 (which yauzl does not check)
 * catches data that was damaged rather than crafted.
 */
function guardEntryData(name: string, record: yauzl.Entry): Transform {
  const declared = record.uncompressedSize;
  let seen = 0;
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > declared) {
        done(new PackageError('size-mismatch', `${entryLabel(name)} holds more data than the ${formatNumber(declared)} bytes its header declares`, name));
        return;
      }
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      if (seen < declared) {
        done(
          new PackageError(
            'size-mismatch',
            `${entryLabel(name)} ends after ${formatNumber(seen)} of the ${formatNumber(declared)} bytes its header declares`,
            name,
          ),
        );
      } else if (crc !== record.crc32) {
        done(new PackageError('corrupt', `${entryLabel(name)} is damaged: its data does not match its CRC-32`, name));
      } else {
        done();
      }
    },
    destroy(err, done) {
      done(err === null || err instanceof PackageError ? err : corruptEntry(name, err));
    },
  });
}

function corruptEntry(name: string, err: unknown): PackageError {
  return new PackageError('corrupt', `${entryLabel(name)} cannot be read: ${messageOf(err)}`, name);
}

function unreadableZip(err: unknown): PackageError {
  const detail = messageOf(err);
  // yauzl refuses strong encryption (flag bit 6) before handing us the entry; its message is all that tells the case apart.
  if (detail.includes('strong encryption')) return new PackageError('encrypted', 'the package uses strong encryption; send it without a password');
  return new PackageError('not-a-zip', `the file is not a readable zip archive (${detail})`);
}

function isSystemError(err: unknown): boolean {
  return err instanceof Error && 'syscall' in err;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
