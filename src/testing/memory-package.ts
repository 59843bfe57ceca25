import { Readable } from 'node:stream';
import type { PackageEntry, PackageSource } from '../packaging/package-source.js';

/** A package held in memory (name → content, or a stream factory for huge synthetic files), for tests. */
export function memoryPackage(files: Record<string, string | Buffer | (() => Readable)>): PackageSource {
  const entries: PackageEntry[] = Object.entries(files).map(([name, c]) => ({ name, size: typeof c === 'function' ? 0 : Buffer.byteLength(c) }));
  return {
    kind: 'directory',
    entries: () => entries,
    has: (name) => Object.hasOwn(files, name),
    async open(name) {
      const content = files[name];
      if (content === undefined) throw new Error(`no entry ${name}`);
      return typeof content === 'function' ? content() : Readable.from([Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')]);
    },
    async close() {},
  };
}
