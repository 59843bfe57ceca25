import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';
import { type OneRosterClient, OneRosterClientError, type OneRosterVersion } from '../client/index.js';
import { csvSpec, type FileSpec } from '../csv/spec.js';
import { ClassFacts } from './class-facts.js';
import { recordConverter } from './convert-record.js';
import { FileSpool, type RowOrigin } from './package-spool.js';
import type { PullDiagnostics } from './pull-diagnostics.js';
import type { PullProgress } from './pull-options.js';
import type { PlannedCollection } from './pull-plan.js';
import type { Report } from './rest-values.js';
import { UserParts } from './user-parts.js';

export interface FetchContext {
  client: OneRosterClient;
  version: OneRosterVersion;
  mode: 'bulk' | 'delta';
  /** The delta's lower bound. */
  since: Date | undefined;
  plan: PlannedCollection[];
  /** An empty directory for the spools. */
  dir: string;
  db: Kysely<Database>;
  tenantId: TenantId;
  signal: AbortSignal | undefined;
  onProgress: (p: PullProgress) => void;
  diagnostics: PullDiagnostics;
  /** Receives every spool as it is opened, so the caller can close them whatever happens. */
  spools: Map<string, FileSpool>;
}

/** Records per progress report. */
const PROGRESS_EVERY = 1000;

/**
 * Reads every planned collection page by page (client/paging.ts) and spools each record as a row of
 * its CSV file as it arrives. Memory holds a page and a batch of users, never the roster.
 *
 * - Full pull: a record the provider lists as tobedeleted (some list tombstones in plain reads) is left
 *   out, which deletes it: a bulk file is the whole truth (fact sheet §8.5, §10.5).
 * - Delta pull: `filter=dateLastModified>'<since>'` (fact sheet §3, §9.2) on every collection; tombstones
 *   arrive as rows with status tobedeleted.
 * - A 403 before the first record of a collection that needs a scope of its own (demographics) skips it
 *   with a warning; any other failure ends the pull.
 * - A full pull's collection that answers no records is left untouched (`absent`) with a warning: an
 *   empty answer is more often a provider problem than a district with no orgs, and a CSV file may not
 *   be empty (fact sheet §8.1).
 */
export async function fetchCollections(c: FetchContext): Promise<Record<string, number>> {
  const records: Record<string, number> = {};
  const spoolOf = (file: string) => {
    let spool = c.spools.get(file);
    if (!spool) {
      spool = new FileSpool(join(c.dir, `${file}.ndjson`), csvSpec(c.version).file(file) as FileSpec);
      c.spools.set(file, spool);
    }
    return spool;
  };
  const facts = new ClassFacts(
    c.db,
    c.tenantId,
    c.plan.some((p) => p.file === 'lineItems' || p.file === 'scoreScales'),
  );
  const query = c.mode === 'delta' && c.since ? { filter: `dateLastModified>'${c.since.toISOString()}'` } : {};

  for (const planned of c.plan) {
    const endpoint = planned.path;
    const converter = recordConverter(c.version, planned.file);
    const spool = spoolOf(planned.file);
    const parts =
      c.version === '1.2' && planned.file === 'users'
        ? new UserParts({
            db: c.db,
            tenantId: c.tenantId,
            mode: c.mode,
            roles: spoolOf('roles'),
            profiles: spoolOf('userProfiles'),
            report: (origin, field, message, code) => addProblem(c.diagnostics, origin, field, message, code),
          })
        : undefined;
    let received = 0;
    let skipped = false;
    try {
      for await (const record of c.client.list(planned.service, planned.path, query)) {
        c.signal?.throwIfAborted();
        received++;
        if (received % PROGRESS_EVERY === 0) c.onProgress({ phase: 'fetch', name: endpoint, count: received });
        const deleting = record.status === 'tobedeleted' || record.status === 'inactive';
        if (c.mode === 'bulk' && deleting) continue;
        const origin: RowOrigin = { endpoint, sourcedId: typeof record.sourcedId === 'string' ? record.sourcedId : String(record.sourcedId ?? '') };
        const report: Report = (field, message, code) => addProblem(c.diagnostics, origin, field, message, code);
        const row = converter.toRow(record, c.mode, report);
        facts.note(converter.file, row.cells);
        await facts.fill(converter.file, row.cells);
        await spool.add(origin, row);
        await parts?.add({ record, sourcedId: row.cells[0] as string, deleting, dateLastModified: row.cells[2] as string });
      }
      await parts?.flush();
    } catch (err) {
      if (!(planned.skipWhenForbidden && received === 0 && err instanceof OneRosterClientError && err.status === 403)) throw err;
      skipped = true;
      c.diagnostics.add({
        severity: 'warning',
        code: 'rest.forbidden',
        endpoint,
        message: `the provider refused ${endpoint} (403${err.codeMinor ? ` ${err.codeMinor}` : ''}): the token lacks its scope, so it was skipped and the stored records were left as they are`,
      });
    }
    records[endpoint] = received;
    c.onProgress({ phase: 'fetch', name: endpoint, count: received });
    if (c.mode === 'bulk' && spool.rows === 0 && !skipped) {
      c.diagnostics.add({
        severity: 'warning',
        code: 'rest.empty',
        endpoint,
        message: `the provider listed no active records at ${endpoint}; the stored ones were left as they are rather than all deleted`,
      });
    }
  }
  return records;
}

function addProblem(diagnostics: PullDiagnostics, origin: RowOrigin, field: string, message: string, code: Parameters<Report>[2] = 'rest.shape'): void {
  diagnostics.add({
    severity: code === 'rest.lossy' ? 'warning' : 'error',
    code,
    endpoint: origin.endpoint,
    ...(origin.sourcedId !== '' ? { sourcedId: origin.sourcedId } : {}),
    ...(field !== '' ? { field } : {}),
    message: `${field || 'the record'} ${message}`,
  });
}
