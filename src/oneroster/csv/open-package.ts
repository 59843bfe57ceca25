import { stat } from 'node:fs/promises';
import { openDirectory } from '../../packaging/open-directory.js';
import { openZip } from '../../packaging/open-zip.js';
import { PackageError } from '../../packaging/package-error.js';
import type { PackageSource } from '../../packaging/package-source.js';
import { Problem } from '../../problems.js';
import type { ValidationReport } from './validate-package.js';

/** A zip file or an unzipped directory, by path. A path that is neither is a not-found problem. */
export async function openPackageAt(path: string): Promise<PackageSource> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new Problem('not-found', `no file or directory at ${path}`);
  return info.isDirectory() ? openDirectory(path) : openZip(path);
}

/** A package refused before any file was read (zip slip, bomb, not a zip…) as a one-diagnostic report. */
export function refusedPackage(err: PackageError): ValidationReport {
  return {
    valid: false,
    files: [],
    errors: 1,
    warnings: 0,
    suppressed: 0,
    diagnostics: [{ severity: 'error', code: 'package.unreadable', file: err.entry ?? '(package)', message: `${err.message} [${err.code}]` }],
  };
}

/** Runs `fn` on the opened package and closes it; a refused package becomes `onRefused(report)`. */
export async function withPackage<T>(
  open: () => Promise<PackageSource>,
  fn: (pkg: PackageSource) => Promise<T>,
  onRefused: (report: ValidationReport) => T,
): Promise<T> {
  let pkg: PackageSource;
  try {
    pkg = await open();
  } catch (err) {
    if (err instanceof PackageError) return onRefused(refusedPackage(err));
    throw err;
  }
  try {
    return await fn(pkg);
  } catch (err) {
    // A limit broken while streaming an entry (a lying header, a CRC error) surfaces here.
    if (err instanceof PackageError) return onRefused(refusedPackage(err));
    throw err;
  } finally {
    await pkg.close();
  }
}
