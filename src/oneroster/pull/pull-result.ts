import type { ImportCounts } from '../../db/schema.js';
import type { OneRosterClientErrorCode } from '../client/index.js';
import type { DiagnosticCode, Severity } from '../csv/diagnostics.js';

/**
 * Findings of the pull itself, besides the CSV validator's codes (which keep their meaning):
 * - `rest.shape`: a JSON value of the wrong type (a GUIDRef that is not an object with a sourcedId…);
 * - `rest.too-long`: a record too large to be one OneRoster CSV row (read-records.ts's limit);
 * - `rest.line-break`: a value with a line break, which no OneRoster CSV field may hold (fact sheet §8.1);
 * - `rest.lossy`: a value the CSV model cannot hold (a second credential of a user profile), dropped;
 * - `rest.forbidden`: an optional collection the token may not read (demographics), skipped;
 * - `rest.empty`: a collection that answered no records in a full pull, left untouched.
 */
export type PullDiagnosticCode = DiagnosticCode | 'rest.shape' | 'rest.too-long' | 'rest.line-break' | 'rest.lossy' | 'rest.forbidden' | 'rest.empty';

/**
 * A problem with the provider's data, located where the provider's people can find it: the
 * collection endpoint, the record's sourcedId and the JSON field (a path below the record, such as
 * `class` or `roles/1/role`). The temporary CSV file it was found in means nothing to them.
 */
export interface PullDiagnostic {
  severity: Severity;
  code: PullDiagnosticCode;
  /** The collection read, e.g. `/enrollments`; roles and user profiles are found under `/users`. */
  endpoint: string;
  sourcedId?: string;
  field?: string;
  message: string;
}

/**
 * Why a pull failed, as a stable code: the client's codes for the provider's side (`http_error`,
 * `network_error`, `token_error`, `too_large`, `invalid_response`, `paging_error`), `invalid_data`
 * when the records break a OneRoster rule (see diagnostics), `conflict` while another import of the
 * tenant runs, `cancelled` when the caller's signal fired, `internal` for anything else.
 */
export type PullFailureCode = OneRosterClientErrorCode | 'invalid_data' | 'conflict' | 'cancelled' | 'internal';

export interface PullFailure {
  code: PullFailureCode;
  message: string;
}

export interface PullTotals {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface PullResult {
  pullId: string;
  status: 'succeeded' | 'failed';
  /** The OneRoster version the data was read as (detected when not given); null if never settled. */
  version: '1.1' | '1.2' | null;
  mode: 'full' | 'delta';
  /** The delta's `dateLastModified>` bound (ISO), null for a full pull. */
  since: string | null;
  /** Where the next delta starts (ISO), stored with a successful pull; null when the pull failed. */
  cursor: string | null;
  importId: string | null;
  /** The import's counts per stored file (roles included). */
  counts: Record<string, ImportCounts>;
  totals: PullTotals;
  /** Records received per endpoint. */
  records: Record<string, number>;
  /** Collection pages answered 2xx, HTTP attempts (token requests included), and retries among them. */
  pages: number;
  requests: number;
  retries: number;
  durationMs: number;
  errors: number;
  warnings: number;
  diagnostics: PullDiagnostic[];
  failure?: PullFailure;
}

export function totalsOf(counts: Record<string, ImportCounts>): PullTotals {
  const t: PullTotals = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const c of Object.values(counts)) {
    t.created += c.inserted;
    t.updated += c.updated;
    t.unchanged += c.unchanged;
    t.deleted += c.deleted;
  }
  return t;
}
