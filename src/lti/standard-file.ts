import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsDir } from '../paths.js';

/** Reads one of the LTI standard tables under standards/lti (files of the release, read once at start-up). */
export function readLtiStandard<T>(name: string): T {
  return JSON.parse(readFileSync(join(standardsDir, 'lti', name), 'utf8')) as T;
}
