import type { Insertable, Kysely } from 'kysely';
import type { Database, LtiServiceCallsTable } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { TenantId } from '../../tenancy/ids.js';

/**
 * Every HTTP exchange with a platform's Advantage services (token requests included) is recorded with
 * its outcome: one pino line (debug when it went well, warn otherwise) and one row of
 * `lti_service_calls`. Rows are written in batches — at grade-passback rates (≥ 1,000 calls/s) a row
 * per call would make the database the bottleneck — so a crash can lose the last fraction of a second
 * of the log; the pino line is written at once. The score outbox, not this log, is what guarantees
 * that no score is lost.
 */
export type ServiceName = 'token' | 'nrps.memberships' | 'ags.lineitems' | 'ags.lineitem' | 'ags.scores' | 'ags.results';

/** ok: 2xx and the body read; retoken: a 401 answered by one fresh token and a retry (logged as its own row). */
export type CallOutcome = 'ok' | 'retoken' | 'http-error' | 'invalid-response' | 'transport-error';

export interface ServiceCall {
  tenantId: string;
  registrationId: string;
  service: ServiceName;
  method: string;
  /** As called; query values are redacted before anything is written (redactUrl). */
  url: string;
  status: number | null;
  outcome: CallOutcome;
  durationMs: number;
  error: string | null;
  at: Date;
}

export interface ServiceCallRecorder {
  record(call: ServiceCall): void;
}

export interface ServiceCallLogOptions {
  /** Rows per INSERT; a full batch is written at once. Default 500. */
  batchSize?: number;
  /** A partial batch is written this long after its first row. Default 250 ms. */
  flushIntervalMs?: number;
}

export class ServiceCallLog implements ServiceCallRecorder {
  private buffer: ServiceCall[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    options: ServiceCallLogOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
  }

  record(call: ServiceCall): void {
    const entry = { ...call, url: redactUrl(call.url) };
    const ok = entry.outcome === 'ok';
    if (!ok || this.logger.isLevelEnabled('debug')) this.logLine(entry, ok);
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }

  private logLine(entry: ServiceCall, ok: boolean): void {
    const line = {
      lti: {
        event: 'service-call',
        tenantId: entry.tenantId,
        platformId: entry.registrationId,
        service: entry.service,
        method: entry.method,
        url: entry.url,
        status: entry.status,
        outcome: entry.outcome,
        ms: entry.durationMs,
        ...(entry.error ? { error: entry.error } : {}),
      },
    };
    if (ok) this.logger.debug(line, 'LTI service call');
    else this.logger.warn(line, 'LTI service call failed');
  }

  /** Writes everything recorded so far; resolves when it is in the database (or its failure logged). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length > 0) this.writing = this.writing.then(() => this.write(rows));
    return this.writing;
  }

  private async write(calls: ServiceCall[]): Promise<void> {
    try {
      const rows: Insertable<LtiServiceCallsTable>[] = calls.map((c) => ({
        tenant_id: c.tenantId,
        platform_id: c.registrationId,
        service: c.service,
        method: c.method,
        url: c.url,
        status: c.status,
        outcome: c.outcome,
        duration_ms: c.durationMs,
        error: c.error,
        at: c.at,
      }));
      await this.db.insertInto('lti_service_calls').values(rows).execute();
    } catch (err) {
      // A log write must never fail the call it describes; the pino lines above still hold it.
      this.logger.error({ err, lti: { event: 'service-call-log-lost', rows: calls.length } }, 'could not write the LTI service call log');
    }
  }
}

/**
 * Query parameters whose values are kept in the log: those the services define (NRPS §2.4, AGS §3.2–3.3),
 * paging, and Moodle's type_id. Any other value may be something a platform put there for itself
 * (a signature, a session) and is replaced by "redacted". User info and fragments are dropped.
 */
const LOGGED_PARAMETERS = new Set(['role', 'limit', 'rlid', 'user_id', 'resource_link_id', 'resource_id', 'tag', 'page', 'since', 'type_id']);

export function redactUrl(raw: string): string {
  if (!raw.includes('?') && !raw.includes('@') && !raw.includes('#')) return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.split(/[?#]/, 1)[0] ?? '';
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) kept.append(name, LOGGED_PARAMETERS.has(name) ? value : 'redacted');
  url.search = kept.toString();
  return url.toString();
}

/** A call as logged: its row id, and the registration it was made for (null once that was removed). */
export interface LoggedServiceCall extends Omit<ServiceCall, 'tenantId' | 'registrationId'> {
  id: string;
  registrationId: string | null;
}

/** A tenant's logged calls, newest first (for admin views and tests); `before` is the id of the last one seen. */
export async function listServiceCalls(
  db: Kysely<Database>,
  tenantId: TenantId,
  options: { registrationId?: string; limit?: number; before?: string } = {},
): Promise<LoggedServiceCall[]> {
  let q = db.selectFrom('lti_service_calls').selectAll().where('tenant_id', '=', tenantId);
  if (options.registrationId) q = q.where('platform_id', '=', options.registrationId);
  if (options.before) q = q.where('id', '<', options.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    registrationId: r.platform_id,
    service: r.service,
    method: r.method,
    url: r.url,
    status: r.status,
    outcome: r.outcome,
    durationMs: r.duration_ms,
    error: r.error,
    at: r.at,
  }));
}

/** Deletes calls logged before `before` (retention is the operator's choice); returns how many. */
export async function pruneServiceCalls(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('lti_service_calls').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
