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
