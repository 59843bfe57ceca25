/**
 * Why a package (an uploaded zip or an unzipped directory) was refused. The code is the stable part
 * callers switch on; the message is written for the person who sent the package.
 */
export type PackageErrorCode =
  /** The bytes are not a zip archive that can be read (wrong format, truncated, broken central directory). */
  | 'not-a-zip'
  /** An entry name is absolute, climbs out with `..`, or holds a backslash, drive letter or control character (zip slip). */
  | 'unsafe-path'
  /** Two entries share a name, so which one a reader sees would depend on the tool. */
  | 'duplicate-entry'
  | 'too-many-entries'
  | 'entry-too-large'
  | 'total-too-large'
  /** An entry claims to inflate far more than real data does: the shape of a zip bomb. */
  | 'compression-ratio'
  | 'encrypted'
  /** A compression method or entry type (symbolic link) this reader does not handle. */
  | 'unsupported'
  /** The sizes an entry declares disagree with each other or with its data. */
  | 'size-mismatch'
  /** An entry's data cannot be read back intact (bad deflate data, CRC-32 mismatch, data past the end of the file). */
  | 'corrupt'
  /** The caller asked for an entry the package does not hold. */
  | 'not-found';

export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    /** The offending entry's name, when the problem is one entry's. */
    readonly entry?: string,
  ) {
    super(message);
  }
}

/** How messages name an entry: quoted, so control characters and spaces in a hostile name stay visible and harmless in logs. */
export function entryLabel(name: string): string {
  return `entry ${JSON.stringify(name)}`;
}
