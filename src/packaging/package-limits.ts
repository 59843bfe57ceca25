import { entryLabel, PackageError } from './package-error.js';

/** What an opened package may hold. Checked on the declared sizes when the package is opened. */
export interface PackageLimits {
  /** Entries in the package, folders included: each one costs work and memory before its name is even read. */
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed size over compressed size, for entries above COMPRESSION_RATIO_FLOOR_BYTES. */
  maxCompressionRatio: number;
}

const GiB = 1024 ** 3;

/**
 * Sized for school roster packages, with room for the largest districts:
 * - 1,000 entries: a OneRoster 1.2 package has at most 22 files (the manifest and 21 CSVs); QTI and
 *   Common Cartridge packages carry items and media, a few hundred at most. A thousand bounds the
 *   central-directory work.
 * - 4 GiB per entry: a large district's enrollments.csv (a million students × 8 classes × ~250 bytes)
 *   is about 2 GiB; twice that leaves headroom, and 4 GiB is also where zip64 starts.
 * - 8 GiB in all: a whole state-sized package, and the bound on work one upload can cause.
 * - ratio 200: real CSV deflates 10–30×, very repetitive CSV perhaps 100×; deflating zeros reaches
 *   about 1,000×, so 200 stops classic bombs without refusing honest data.
 */
export const DEFAULT_PACKAGE_LIMITS: PackageLimits = Object.freeze({
  maxEntries: 1000,
  maxEntryBytes: 4 * GiB,
  maxTotalBytes: 8 * GiB,
  maxCompressionRatio: 200,
});

/**
 * Entries at most this large skip the ratio check: a small file (a manifest, a header-only CSV) can
 * deflate extremely well and still be harmless, because its absolute size is small.
 */
export const COMPRESSION_RATIO_FLOOR_BYTES = 1024 ** 2;

export function checkEntryCount(count: number, limits: PackageLimits): void {
  if (count > limits.maxEntries) {
    throw new PackageError('too-many-entries', `the package holds ${formatNumber(count)} entries; at most ${formatNumber(limits.maxEntries)} are accepted`);
  }
}

/** Checks one entry's declared size and returns the running total including it. */
export function checkDeclaredSize(name: string, size: number, totalBefore: number, limits: PackageLimits): number {
  if (size > limits.maxEntryBytes) {
    throw new PackageError(
      'entry-too-large',
      `${entryLabel(name)} holds ${formatNumber(size)} bytes; at most ${formatNumber(limits.maxEntryBytes)} are accepted per entry`,
      name,
    );
  }
  const total = totalBefore + size;
  if (total > limits.maxTotalBytes) {
    throw new PackageError(
      'total-too-large',
      `the package holds more than ${formatNumber(limits.maxTotalBytes)} bytes once unpacked (${formatNumber(total)} by ${entryLabel(name)}), which is the most accepted`,
      name,
    );
  }
  return total;
}

/** A number for a message: 4,294,967,296 rather than 4294967296. */
export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
