import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { SweepSchedule } from '../../db/sweep-schedule.js';
import type { TenantId } from '../../tenancy/ids.js';

/**
 * OIDC state and nonce in the database (fact sheet §2.3, §14.1): 256-bit CSPRNG values, stored as
 * SHA-256 keyed by the state, so any app instance can finish a launch another instance began.
 * Each issuance sweeps a bounded batch of expired rows, keeping the table near its live size.
 */
const SWEEP_BATCH = 200;
const sweeps = new SweepSchedule();

export interface IssuedLogin {
  state: string;
  nonce: string;
}

export interface LoginStateRow {
  tenantId: TenantId;
  platformId: string;
  nonceHash: Buffer;
  ltiDeploymentId: string | null;
}

export type ConsumeResult = { ok: true; row: LoginStateRow } | { ok: false; failure: 'unknown' | 'expired' | 'used' };

export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export async function issueLoginState(
  db: Kysely<Database>,
  login: { tenantId: TenantId; platformId: string; ltiDeploymentId: string | undefined; now: Date; ttlSeconds: number },
): Promise<IssuedLogin> {
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  if (sweeps.due(login.now.getTime())) {
    await sql`DELETE FROM lti_login_states WHERE state_hash IN (
      SELECT state_hash FROM lti_login_states WHERE expires_at < ${login.now} ORDER BY expires_at LIMIT ${SWEEP_BATCH})`.execute(db);
  }
  await db
    .insertInto('lti_login_states')
    .values({
      state_hash: digest(state),
      nonce_hash: digest(nonce),
      tenant_id: login.tenantId,
      platform_id: login.platformId,
      lti_deployment_id: login.ltiDeploymentId ?? null,
      created_at: login.now,
      expires_at: new Date(login.now.getTime() + login.ttlSeconds * 1000),
    })
    .execute();
  return { state, nonce };
}

/** The login of a state without using it up (the platform-storage page needs the platform first). */
export async function peekLoginState(db: Kysely<Database>, state: string): Promise<{ platformId: string } | undefined> {
  const row = await db.selectFrom('lti_login_states').select('platform_id').where('state_hash', '=', digest(state)).executeTakeFirst();
  return row && { platformId: row.platform_id };
}

/** Uses a state up, atomically: of two launches presenting it (two instances, a replay) only one wins. */
export async function consumeLoginState(db: Kysely<Database>, state: string, now: Date): Promise<ConsumeResult> {
  const hash = digest(state);
  const row = await db
    .updateTable('lti_login_states')
    .set({ consumed_at: now })
    .where('state_hash', '=', hash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['tenant_id', 'platform_id', 'nonce_hash', 'lti_deployment_id'])
    .executeTakeFirst();
  if (row) {
    return {
      ok: true,
      row: { tenantId: row.tenant_id as TenantId, platformId: row.platform_id, nonceHash: row.nonce_hash, ltiDeploymentId: row.lti_deployment_id },
    };
  }
  const seen = await db.selectFrom('lti_login_states').select(['consumed_at']).where('state_hash', '=', hash).executeTakeFirst();
  if (!seen) return { ok: false, failure: 'unknown' };
  return { ok: false, failure: seen.consumed_at ? 'used' : 'expired' };
}
