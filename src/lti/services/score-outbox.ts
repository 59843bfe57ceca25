import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';
import { platformRow } from '../registrations/platforms.js';
import { pointer, type ValidationProblem } from './json-pointer.js';
import { type Score, scoreProblems } from './score.js';
import { LtiServiceError } from './service-errors.js';
import { parseServiceUrl } from './service-urls.js';

/**
 * The score outbox: grade passback that survives platform outages and restarts. Scores are written
 * to `lti_score_outbox` (enqueueScores) — in the caller's transaction when it passes one — and
 * delivered by deliverDueScores (deliver-due-scores.ts). Every row ends `sent` or `failed` with the
 * reason and the platform's last answer, or waits `pending` for its next attempt; nothing is deleted
 * (outbox-policy.ts says which failures are retried), and a failed row can be requeued.
 */
export interface ScoreToSend {
  lineItemUrl: string;
  score: Score;
}

export type OutboxState = 'pending' | 'sent' | 'failed';
export type OutboxFailure = 'stale-score' | 'rejected' | 'attempts-exhausted' | 'registration-missing' | 'undeliverable';

export interface OutboxEntry {
  id: string;
  registrationId: string | null;
  lineItemUrl: string;
  userId: string;
  score: Score;
  state: OutboxState;
  failure: OutboxFailure | null;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

const INSERT_CHUNK = 500;

/**
 * Queues scores for one registration of a tenant (404 Problem when it is not the tenant's). Every
 * score and line item URL is checked first; one bad entry refuses the lot, with JSON pointers into
 * `scores` (`/3/score/scoreMaximum`), so nothing that could never be delivered is queued.
 */
export async function enqueueScores(
  db: Kysely<Database>,
  tenantId: TenantId,
  registrationId: string,
  scores: readonly ScoreToSend[],
  now: Date,
): Promise<string[]> {
  const problems: ValidationProblem[] = [];
  scores.forEach((s, i) => {
    try {
      parseServiceUrl(s.lineItemUrl, 'lineItemUrl');
    } catch (err) {
      problems.push({ pointer: pointer(i, 'lineItemUrl'), message: (err as Error).message });
    }
    for (const p of scoreProblems(s.score)) problems.push({ pointer: `${pointer(i, 'score')}${p.pointer}`, message: p.message });
  });
  if (problems.length > 0) {
    throw new LtiServiceError(
      'score-invalid',
      `${problems.length} problem(s) in the scores to queue: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
      {
        problems,
      },
    );
  }
  await platformRow(db, tenantId, registrationId);
  const rows = scores.map((s) => ({
    id: randomUUID(),
    tenant_id: tenantId,
    platform_id: registrationId,
    line_item_url: s.lineItemUrl,
    user_id: s.score.userId,
    score: JSON.stringify(s.score),
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    await db
      .insertInto('lti_score_outbox')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  return rows.map((r) => r.id);
}

/** A tenant's outbox rows, newest first, optionally of one state (for admin views and inspection). */
export async function listOutbox(
  db: Kysely<Database>,
  tenantId: TenantId,
  options: { state?: OutboxState; registrationId?: string; limit?: number } = {},
): Promise<OutboxEntry[]> {
  let q = db.selectFrom('lti_score_outbox').selectAll().where('tenant_id', '=', tenantId);
  if (options.state) q = q.where('state', '=', options.state);
  if (options.registrationId) q = q.where('platform_id', '=', options.registrationId);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    registrationId: r.platform_id,
    lineItemUrl: r.line_item_url,
    userId: r.user_id,
    score: r.score as unknown as Score,
    state: r.state,
    failure: r.failure,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  }));
}

/** Puts a failed row back in the queue, due now, with its attempts reset (an administrator's retry). */
export async function requeueScore(db: Kysely<Database>, tenantId: TenantId, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('lti_score_outbox')
    .set({ state: 'pending', failure: null, attempts: 0, next_attempt_at: now, updated_at: now })
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
