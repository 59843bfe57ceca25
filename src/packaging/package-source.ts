import type { Readable } from 'node:stream';

/** One file of a package: its path inside the package (`/`-separated) and declared uncompressed size. */
export interface PackageEntry {
  name: string;
  size: number;
}

/**
 * A package (a zip, or an unzipped directory) as the importers see it: a list of regular files and
 * a way to stream one. Limits (entry count, sizes, compression ratio) are enforced by whoever opened it.
 */
export interface PackageSource {
  readonly kind: 'zip' | 'directory';
  /** Regular files only; directories are skipped. */
  entries(): PackageEntry[];
  has(name: string): boolean;
  /** A byte stream of the entry; limit violations surface as a PackageError on the stream. */
  open(name: string): Promise<Readable>;
  close(): Promise<void>;
}

/**
 * Why `name` cannot name an entry, as a phrase that follows "entry <name>", or undefined when it can.
 * Entry names are relative, `/`-separated and canonical, so that one file has exactly one name and no
 * name reaches outside the package when someone joins it to a directory ("zip slip"). Windows reads a
 * backslash as a separator and `C:` as a drive, so both are refused even though POSIX allows them.
 */
export function entryNameProblem(name: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (hasControlCharacter(name)) return 'contains a control character';
  if (name.includes('\\')) return 'contains a backslash, which Windows reads as a folder separator';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter';
  const segments = name.split('/');
  if (segments.includes('..')) return 'escapes the package with a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." path segment';
  return undefined;
}

/** C0 controls (NUL, newline, …), DEL and C1 controls: nothing a file name needs, and NUL truncates names in C APIs. */
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
