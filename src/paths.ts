import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Absolute paths of the project's data folders. This file is `src/paths.ts` under tsx (tests) and
 * `dist/src/paths.js` when built, so the root is the nearest folder above it with a package.json.
 */
const root = findRoot(new URL('./', import.meta.url));

function findRoot(dir: URL): URL {
  for (let at = dir; ; at = new URL('../', at)) {
    if (existsSync(new URL('package.json', at))) return at;
    if (at.pathname === '/') throw new Error(`no package.json above ${fileURLToPath(dir)}`);
  }
}

export const projectRoot = fileURLToPath(root);
export const schemasDir = fileURLToPath(new URL('schemas/', root));
export const standardsDir = fileURLToPath(new URL('standards/', root));
export const migrationsDir = fileURLToPath(new URL('src/db/migrations/', root));
