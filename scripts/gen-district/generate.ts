import { csvSpec, type OneRosterVersion } from '../../src/oneroster/csv/spec.js';
import { addDays, DEFAULT_SCHOOL_YEAR } from './calendar.js';
import { buildDistrict } from './district-model.js';
import { gradebookSources } from './gradebook-rows.js';
import { rosteringSources } from './rostering-rows.js';
import { userSources } from './user-rows.js';
import { type FileCount, writePackage } from './write-package.js';

export interface GenerateOptions {
  students: number;
  /** The package directory; it must be new or empty. */
  out: string;
  version: OneRosterVersion;
  /** Any string; the same seed and options give a byte-identical package. */
  seed: string;
  mode: 'bulk' | 'delta';
  schoolYear?: number;
}

export const SOURCE_SYSTEM = { systemName: 'EdHub generator', systemCode: 'edhub-gen' } as const;

/** Builds the district skeleton, then streams every file of the version the district has rows for. */
export async function generateDistrict(options: GenerateOptions): Promise<FileCount[]> {
  const district = buildDistrict({ students: options.students, seed: options.seed, schoolYear: options.schoolYear ?? DEFAULT_SCHOOL_YEAR });
  const sources = { ...rosteringSources(district), ...userSources(district), ...gradebookSources(district) };
  return writePackage(options.out, csvSpec(options.version), sources, {
    mode: options.mode,
    // Delta rows need a dateLastModified; a fixed one (a week before the school year) keeps runs reproducible.
    dateLastModified: `${addDays(district.calendar.year.startDate, -7)}T06:00:00.000Z`,
    ...SOURCE_SYSTEM,
  });
}
