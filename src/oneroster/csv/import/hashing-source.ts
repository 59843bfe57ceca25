import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { PackageSource } from '../../../packaging/package-source.js';

/** Wraps a package so every file read through it also yields its SHA-256 (recorded with the import). */
export function hashingSource(pkg: PackageSource, hashes: Record<string, string>): PackageSource {
  return {
    kind: pkg.kind,
    entries: () => pkg.entries(),
    has: (name) => pkg.has(name),
    close: () => pkg.close(),
    async open(name) {
      const hash = createHash('sha256');
      const tee = new Transform({
        transform(chunk, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          hashes[name] = hash.digest('hex');
          done();
        },
      });
      const source = await pkg.open(name);
      source.on('error', (err) => tee.destroy(err));
      return source.pipe(tee);
    },
  };
}
