import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import { type Registration, toRegistration } from '../registrations/registration.js';
import { postScore } from './ags-scores.js';
import type { LtiServices } from './lti-services.js';
import { DEFAULT_RETRY_POLICY, judgeFailure, type RetryPolicy, retryDelayMs } from './outbox-policy.js';
import type { Score } from './score.js';
import type { OutboxFailure } from './score-outbox.js';
import { capText, LtiServiceError } from './service-errors.js';

/**
 * Delivery of the score outbox (score-outbox.ts): claim the due rows, post their scores, write each
 * outcome. Run by the sync engine on a schedule, by any number of workers at once:
 *   1. claim up to `limit` due rows (FOR UPDATE SKIP LOCKED): each claim counts an attempt and pushes
 *      next_attempt_at out by the lease, so a worker that dies leaves its rows due again later;
 *   2. post at most `concurrency` scores at a time through the registration's service client, never
 *      starting one in the last part of its lease (it is handed back instead);
 *   3. write the outcomes — sent; retry at a time from outbox-policy.ts; failed with the reason —
 *      each only if the row is still this worker's claim.
 * Two scores for the same user and line item in one batch may reach the platform in either order;
 * their timestamps decide which stands (AGS §3.4), and the older one ends as stale-score.
 */
export interface DeliveryOptions {
  now: () => Date;
  /** Rows claimed by this call. Default 100. */
  limit?: number;
  /** Scores posted at once. Default 8. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** How long a claimed row stays invisible to other workers. Default 5 min. */
  leaseMs?: number;
  random?: () => number;
  logger?: Logger;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Failed this time, due again later. */
  retrying: number;
  /** Ended as failed this time (kept, with the reason). */
  failed: number;
  /** Claimed but not tried before the lease ran short: handed back, due now, the attempt not counted. */
  released: number;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  platform_id: string | null;
  line_item_url: string;
  score: Score;
  attempts: number;
  last_status: number | null;
}

type Outcome =
  | { kind: 'released' }
  | { kind: 'sent'; status: number }
  | { kind: 'retry'; at: Date; status: number | null; error: string }
  | { kind: 'failed'; failure: OutboxFailure; status: number | null; error: string };

/** Claims the due rows and posts their scores; resolves when each has its outcome written. */
export async function deliverDueScores(db: Kysely<Database>, services: Pick<LtiServices, 'client'>, options: DeliveryOptions): Promise<DeliveryReport> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const claimedAt = options.now();
  const leaseMs = options.leaseMs ?? 300_000;
  const rows = await claimDue(db, claimedAt, options.limit ?? 100, leaseMs);
  // A row is not started in the last part of its lease: after the lease another worker may claim it,
  // and both would post the score. Such rows are handed back instead (a slow platform, a big batch).
  const startBefore = claimedAt.getTime() + leaseMs - Math.min(60_000, leaseMs / 2);
  const report: DeliveryReport = { claimed: rows.length, sent: 0, retrying: 0, failed: 0, released: 0 };
  if (rows.length === 0) return report;

  const registrations = await loadRegistrations(
    db,
    rows.map((r) => r.platform_id),
  );
  const clients = new Map([...registrations].map(([id, reg]) => [id, services.client(reg)]));

  const deliver = async (row: ClaimedRow): Promise<Outcome> => {
    if (options.now().getTime() >= startBefore) return { kind: 'released' };
    const reg = row.platform_id === null ? undefined : registrations.get(row.platform_id);
    const client = row.platform_id === null ? undefined : clients.get(row.platform_id);
    if (!reg || !client || reg.tenantId !== row.tenant_id) {
      return { kind: 'failed', failure: 'registration-missing', status: null, error: 'the platform registration of this score was removed' };
    }
    try {
      return { kind: 'sent', status: (await postScore(client, row.line_item_url, row.score)).status };
    } catch (err) {
      const verdict = judgeFailure(err);
      const status = err instanceof LtiServiceError ? (err.details.status ?? null) : null;
      let error = capText(err instanceof Error ? err.message : String(err), 1000);
      if (!verdict.retry) {
        // An earlier attempt that got no answer may have been applied: then this 409 is our own score.
        if (verdict.failure === 'stale-score' && row.attempts > 1 && row.last_status === null) {
          error += ' (an earlier attempt of this score got no answer and may be the one the platform applied)';
        }
        return { kind: 'failed', failure: verdict.failure, status, error };
      }
      if (row.attempts >= policy.maxAttempts) return { kind: 'failed', failure: 'attempts-exhausted', status, error };
      const now = options.now();
      return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(policy, row.attempts, verdict.retryAfter, now, random)), status, error };
    }
  };

  const outcomes = await mapConcurrently(rows, options.concurrency ?? 8, deliver);
  await writeOutcomes(db, rows, outcomes, options.now());
  for (const [i, o] of outcomes.entries()) {
    report[o.kind === 'retry' ? 'retrying' : o.kind]++;
    if (o.kind === 'retry' || o.kind === 'failed') {
      const row = rows[i] as ClaimedRow;
      options.logger?.warn(
        {
          lti: {
            event: 'score-delivery',
            outboxId: row.id,
            tenantId: row.tenant_id,
            attempts: row.attempts,
            outcome: o.kind,
            status: o.status,
            error: o.error,
          },
        },
        o.kind === 'retry' ? 'LTI score delivery failed; will retry' : 'LTI score delivery failed for good',
      );
    }
  }
  return report;
}

async function claimDue(db: Kysely<Database>, now: Date, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const { rows } = await sql<ClaimedRow>`
    UPDATE lti_score_outbox SET attempts = attempts + 1, next_attempt_at = ${leaseUntil}, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM lti_score_outbox
      WHERE state = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, tenant_id, platform_id, line_item_url, score, attempts, last_status`.execute(db);
  return rows;
}

async function loadRegistrations(db: Kysely<Database>, ids: (string | null)[]): Promise<Map<string, Registration>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('lti_platforms').selectAll().where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, toRegistration(r)]));
}

/** One UPDATE per delivered status, one per other row; each only if the row is still this claim's. */
async function writeOutcomes(db: Kysely<Database>, rows: ClaimedRow[], outcomes: Outcome[], now: Date): Promise<void> {
  const sentByStatus = new Map<number, ClaimedRow[]>();
  for (const [i, o] of outcomes.entries()) {
    const row = rows[i] as ClaimedRow;
    if (o.kind === 'sent') {
      sentByStatus.set(o.status, [...(sentByStatus.get(o.status) ?? []), row]);
      continue;
    }
    const set =
      o.kind === 'released'
        ? { attempts: row.attempts - 1, next_attempt_at: now, updated_at: now }
        : o.kind === 'retry'
          ? { next_attempt_at: o.at, last_status: o.status, last_error: o.error, updated_at: now }
          : { state: 'failed' as const, failure: o.failure, last_status: o.status, last_error: o.error, updated_at: now };
    await db.updateTable('lti_score_outbox').set(set).where('id', '=', row.id).where('attempts', '=', row.attempts).where('state', '=', 'pending').execute();
  }
  for (const [status, sent] of sentByStatus) {
    await db
      .updateTable('lti_score_outbox')
      .set({ state: 'sent', last_status: status, last_error: null, sent_at: now, updated_at: now })
      .where(({ eb, or, and }) => or(sent.map((r) => and([eb('id', '=', r.id), eb('attempts', '=', r.attempts)]))))
      .where('state', '=', 'pending')
      .execute();
  }
}

async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
