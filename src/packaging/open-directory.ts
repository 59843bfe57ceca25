import { constants } from 'node:fs';
import { type FileHandle, open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { entryLabel, PackageError } from './package-error.js';
import { checkDeclaredSize, checkEntryCount, DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.js';
import { entryNameProblem, type PackageEntry, type PackageSource } from './package-source.js';

interface DirectoryFile {
  size: number;
  /** Resolved path on disk: symbolic links were followed, and checked, when the package was listed. */
  path: string;
}

/**
 * Opens an unzipped package: every regular file under `path`, named by its relative path with `/`.
 * Symbolic links are followed only while they stay inside the directory; one that leads out refuses
 * the package, like a zip entry named `../x` would. The count and size limits apply to the listing;
 * there is no ratio to check on files already unpacked.
 */
export async function openDirectory(path: string, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<PackageSource> {
  const root = await realpath(path);
  const files = new Map<string, DirectoryFile>();
  const visited = new Set<string>([root]); // a link back to a folder already listed would loop
  let seen = 0;
  let total = 0;

  async function list(dir: string, prefix: string): Promise<void> {
    const children = await readdir(dir, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // the same order on every file system
    for (const child of children) {
      const name = `${prefix}${child.name}`;
      checkEntryCount(++seen, limits); // folders count too: listing them is work as well
      const problem = entryNameProblem(name);
      if (problem !== undefined) throw new PackageError('unsafe-path', `${entryLabel(name)} ${problem}`, name);
      const target = child.isSymbolicLink() ? await resolveInside(root, join(dir, child.name), name) : join(dir, child.name);
      const stats = await stat(target);
      if (stats.isDirectory() && !visited.has(target)) {
        visited.add(target);
        await list(target, `${name}/`);
      } else if (stats.isFile()) {
        total = checkDeclaredSize(name, stats.size, total, limits);
        files.set(name, { size: stats.size, path: target });
      } // sockets, FIFOs and devices are not package content; a FIFO would also block a reader forever
    }
  }

  await list(root, '');
  return directorySource(files);
}

/** Where a symbolic link leads, if that is inside the package; refuses the package otherwise. */
async function resolveInside(root: string, link: string, name: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new PackageError('unsafe-path', `${entryLabel(name)} is a symbolic link that leads nowhere (${reason})`, name);
  }
  const rel = relative(root, target);
  if (isAbsolute(rel) || rel.split(sep)[0] === '..') {
    throw new PackageError('unsafe-path', `${entryLabel(name)} is a symbolic link that escapes the package`, name);
  }
  return target;
}

function directorySource(files: Map<string, DirectoryFile>): PackageSource {
  const entries: PackageEntry[] = [...files].map(([name, f]) => ({ name, size: f.size }));
  return {
    kind: 'directory',
    entries: () => entries.map((e) => ({ ...e })),
    has: (name) => files.has(name),
    async open(name) {
      const file = files.get(name);
      if (file === undefined) throw new PackageError('not-found', `the package holds no ${entryLabel(name)}`, name);
      let handle: FileHandle;
      try {
        // O_NOFOLLOW: the listed path had no link at its end; refuse one swapped in since.
        handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new PackageError('not-found', `${entryLabel(name)} can no longer be opened (${reason})`, name);
      }
      return handle.createReadStream();
    },
    async close() {},
  };
}
