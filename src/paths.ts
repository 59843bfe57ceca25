import { fileURLToPath } from 'node:url';

/**
 * Absolute paths of the project's data folders. This file sits one level below the project root
 * both as `src/paths.ts` (tsx, tests) and as `dist/paths.js` (built), so one relative URL serves both.
 */
const root = new URL('../', import.meta.url);

export const projectRoot = fileURLToPath(root);
export const schemasDir = fileURLToPath(new URL('schemas/', root));
export const standardsDir = fileURLToPath(new URL('standards/', root));
export const migrationsDir = fileURLToPath(new URL('src/db/migrations/', root));
