import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { keysetPage } from '../../db/keyset.js';
import type { Database, LtiRegistrationInvitationsTable } from '../../db/schema.js';
import type { LtiRegistrationInvitation, LtiRegistrationInvitationCreated } from '../../generated/api-types.js';
import { notFound } from '../../problems.js';
import { type ActorContext, recordAudit } from '../../security/audit-log.js';
import { isUuid, type TenantId } from '../../tenancy/ids.js';
import { LtiError } from '../errors.js';
import { toolUrls } from '../target-link.js';

/**
 * Dynamic Registration invitations: the URL shape of EdHub's DR initiation endpoint is
 * `/lti/register/{token}`. A tenant administrator creates an invitation (API or CLI) and hands its URL
 * to the platform's administrator, who pastes it into the LMS. The token (256 random bits, stored as
 * SHA-256) says which tenant the platform joins and that a tenant admin agreed; it works once and
 * expires. So nobody can attach a platform to a tenant just by knowing the tenant's id.
 */
type Row = Selectable<LtiRegistrationInvitationsTable>;
type Executor = Kysely<Database> | Transaction<Database>;

const TOKEN = /^ehr_[A-Za-z0-9_-]{43}$/;
/** A claim older than this belongs to a confirmation that died mid-way; the invitation is usable again. */
const STALE_CLAIM_MS = 2 * 60_000;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export async function createInvitation(
  db: Kysely<Database>,
  ctx: ActorContext,
  tenantId: TenantId,
  input: { name?: string; expiresInHours?: number },
  options: { baseUrl: string; now: Date },
): Promise<LtiRegistrationInvitationCreated> {
  const token = `ehr_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(options.now.getTime() + (input.expiresInHours ?? 24) * 3_600_000);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('lti_registration_invitations')
      .values({ id, tenant_id: tenantId, token_hash: hashToken(token), name: input.name?.trim() ?? '', expires_at: expiresAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      tenantId,
      action: 'lti.registration_invitation.create',
      target: { type: 'lti_registration_invitation', id },
      details: { name: row.name, expiresAt: expiresAt.toISOString() },
    });
    return {
      id,
      tenantId,
      name: row.name,
      url: toolUrls(options.baseUrl).registration(token),
      createdAt: row.created_at.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
  });
}

export async function listInvitations(
  db: Executor,
  tenantId: TenantId,
  page: { limit: number; cursor?: string },
  now: Date,
): Promise<{ items: LtiRegistrationInvitation[]; nextCursor: string | null }> {
  const p = await keysetPage<Row>(page, { column: 'id', type: 'uuid', isId: isUuid, idOf: (r) => r.id }, ({ after, orderBy, limit }) => {
    let q = db.selectFrom('lti_registration_invitations').selectAll().where('tenant_id', '=', tenantId);
    if (after) q = q.where(after);
    return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
  });
  return { items: p.rows.map((r) => toApi(r, now)), nextCursor: p.nextCursor };
}

export async function revokeInvitation(db: Kysely<Database>, ctx: ActorContext, tenantId: TenantId, id: string, now: Date): Promise<LtiRegistrationInvitation> {
  if (!isUuid(id)) throw notFound(`registration invitation ${id}`);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('lti_registration_invitations')
      .set({ revoked_at: sql`coalesce(revoked_at, ${now})` })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`registration invitation ${id}`);
    await recordAudit(trx, ctx, { tenantId, action: 'lti.registration_invitation.revoke', target: { type: 'lti_registration_invitation', id } });
    return toApi(row, now);
  });
}

export interface OpenInvitation {
  id: string;
  tenantId: TenantId;
  tenantName: string;
}

/** The invitation a token names, if it can still be used; every other case is the same `invitation-invalid`. */
export async function openInvitation(db: Executor, token: string, now: Date): Promise<OpenInvitation> {
  if (!TOKEN.test(token)) throw new LtiError('invitation-invalid', 'the token is not in the form EdHub issues');
  const row = await db
    .selectFrom('lti_registration_invitations as i')
    .innerJoin('tenants as t', 't.id', 'i.tenant_id')
    .select(['i.id', 'i.tenant_id', 'i.expires_at', 'i.used_at', 'i.revoked_at', 'i.claimed_at', 't.name'])
    .where('i.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw new LtiError('invitation-invalid', 'no invitation has this token');
  const context = { tenantId: row.tenant_id };
  if (row.used_at) throw new LtiError('invitation-invalid', `invitation ${row.id} was used at ${row.used_at.toISOString()}`, context);
  if (row.revoked_at) throw new LtiError('invitation-invalid', `invitation ${row.id} was revoked`, context);
  if (row.expires_at.getTime() <= now.getTime()) {
    throw new LtiError('invitation-invalid', `invitation ${row.id} expired at ${row.expires_at.toISOString()}`, context);
  }
  return { id: row.id, tenantId: row.tenant_id as TenantId, tenantName: row.name };
}

/** Marks the invitation as being completed, so two confirmations cannot both register the tool. */
export async function claimInvitation(db: Executor, id: string, now: Date): Promise<void> {
  const claimed = await db
    .updateTable('lti_registration_invitations')
    .set({ claimed_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', new Date(now.getTime() - STALE_CLAIM_MS))]))
    .executeTakeFirst();
  if ((claimed.numUpdatedRows ?? 0n) === 0n) throw new LtiError('invitation-busy', `invitation ${id} is being completed by another request`);
}

export async function releaseInvitation(db: Executor, id: string): Promise<void> {
  await db.updateTable('lti_registration_invitations').set({ claimed_at: null }).where('id', '=', id).where('used_at', 'is', null).execute();
}

export async function completeInvitation(trx: Executor, ctx: ActorContext, invitation: OpenInvitation, platformId: string, now: Date): Promise<void> {
  await trx.updateTable('lti_registration_invitations').set({ used_at: now, platform_id: platformId }).where('id', '=', invitation.id).execute();
  await recordAudit(trx, ctx, {
    tenantId: invitation.tenantId,
    action: 'lti.registration_invitation.use',
    target: { type: 'lti_registration_invitation', id: invitation.id },
    details: { platformId },
  });
}

function toApi(r: Row, now: Date): LtiRegistrationInvitation {
  const status = r.used_at ? 'used' : r.revoked_at ? 'revoked' : r.expires_at.getTime() <= now.getTime() ? 'expired' : 'pending';
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    status,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    usedAt: r.used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    platformId: r.platform_id,
  };
}

/** The tenant of an invitation id (for a platform administrator, who names no tenant). */
export async function invitationOwner(db: Executor, id: string): Promise<TenantId | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('lti_registration_invitations').select('tenant_id').where('id', '=', id).executeTakeFirst();
  return row?.tenant_id as TenantId | undefined;
}
