import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { SweepSchedule } from '../../db/sweep-schedule.js';
import type { ActorContext } from '../../security/audit-log.js';
import type { TenantId } from '../../tenancy/ids.js';
import { type Claims, objectClaim, stringAt } from '../claims.js';
import type { ValidLaunch } from '../launch/launch-context.js';
import { autoRegisterDeployment } from '../registrations/deployments.js';
import { contextRoleKind } from '../roles.js';

type Trx = Transaction<Database>;
const SWEEP_BATCH = 200;
const sweeps = new SweepSchedule();

export interface RecordedLaunch {
  launchId: string;
  tenantId: TenantId;
  expiresAt: Date;
}

/**
 * Check 18 and what follows a valid launch (fact sheet §3 #18; issue 5 item 6), in one transaction:
 * the deployment (when the auto-register policy accepted it), the user and its external identity
 * (issuer + client_id → sub), the context, the membership with its roles, the resource link, and the
 * application session — bound to (iss, client_id, deployment_id, sub, context).
 *
 * These are the LTI side's own tables; the OneRoster roster is linked to them when read, by the LIS
 * sourcedIds stored here (roster-link.ts). A launch never writes roster_records.
 */
export async function recordLaunch(db: Kysely<Database>, launch: ValidLaunch, options: { now: Date; ttlSeconds: number }): Promise<RecordedLaunch> {
  const { registration: reg, claims } = launch;
  const tenantId = reg.tenantId;
  const now = options.now;
  return db.transaction().execute(async (trx) => {
    if (launch.autoRegisterDeployment) {
      const system: ActorContext = { actor: { type: 'system', id: `lti-launch:${reg.id}` }, requestId: null, sourceIp: null };
      await autoRegisterDeployment(trx, system, tenantId, reg.id, launch.deploymentId);
    }
    const scope = { tenantId, issuer: reg.issuer, clientId: reg.clientId, deploymentId: launch.deploymentId, now };
    const userId = launch.sub === null ? null : await upsertUser(trx, scope, launch.sub, claims);
    const contextId = await upsertContext(trx, scope, claims);
    if (userId && contextId) await upsertMembership(trx, tenantId, contextId, userId, launch.roles, now);
    const resourceLinkId = await upsertResourceLink(trx, scope, claims, contextId);

    const launchId = randomUUID();
    const expiresAt = new Date(now.getTime() + options.ttlSeconds * 1000);
    if (sweeps.due(now.getTime())) {
      await sql`DELETE FROM lti_launches WHERE id IN (
        SELECT id FROM lti_launches WHERE expires_at < ${now} ORDER BY expires_at LIMIT ${SWEEP_BATCH})`.execute(trx);
    }
    await trx
      .insertInto('lti_launches')
      .values({
        id: launchId,
        tenant_id: tenantId,
        platform_id: reg.id,
        deployment_id: launch.deploymentId,
        message_type: launch.messageType,
        user_id: userId,
        sub: launch.sub,
        context_id: contextId,
        resource_link_id: resourceLinkId,
        roles: launch.roles,
        target_link_uri: launch.targetLinkUri,
        claims: JSON.stringify(claims),
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    return { launchId, tenantId, expiresAt };
  });
}

interface Scope {
  tenantId: TenantId;
  issuer: string;
  clientId: string;
  deploymentId: string;
  now: Date;
}

/** PII claims are all optional (fact sheet §4.1): a launch without them keeps what earlier launches brought. */
async function upsertUser(trx: Trx, s: Scope, sub: string, claims: Claims): Promise<string> {
  const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : null);
  const lis = objectClaim(claims, 'lis');
  const profile = {
    name: str('name'),
    given_name: str('given_name'),
    family_name: str('family_name'),
    email: str('email'),
    picture: str('picture'),
    locale: str('locale'),
    lis_person_sourcedid: stringAt(lis, 'person_sourcedid'),
  };
  const identity = await trx
    .selectFrom('lti_user_identities')
    .select('user_id')
    .where('tenant_id', '=', s.tenantId)
    .where('issuer', '=', s.issuer)
    .where('client_id', '=', s.clientId)
    .where('sub', '=', sub)
    .executeTakeFirst();
  if (identity) {
    await trx
      .updateTable('lti_users')
      .set({
        name: sql`coalesce(${profile.name}, name)`,
        given_name: sql`coalesce(${profile.given_name}, given_name)`,
        family_name: sql`coalesce(${profile.family_name}, family_name)`,
        email: sql`coalesce(${profile.email}, email)`,
        picture: sql`coalesce(${profile.picture}, picture)`,
        locale: sql`coalesce(${profile.locale}, locale)`,
        lis_person_sourcedid: sql`coalesce(${profile.lis_person_sourcedid}, lis_person_sourcedid)`,
        updated_at: s.now,
      })
      .where('id', '=', identity.user_id)
      .where('tenant_id', '=', s.tenantId)
      .execute();
    await trx
      .updateTable('lti_user_identities')
      .set({ last_seen_at: s.now })
      .where('tenant_id', '=', s.tenantId)
      .where('issuer', '=', s.issuer)
      .where('client_id', '=', s.clientId)
      .where('sub', '=', sub)
      .execute();
    return identity.user_id;
  }
  const id = randomUUID();
  await trx
    .insertInto('lti_users')
    .values({ id, tenant_id: s.tenantId, ...profile, created_at: s.now, updated_at: s.now })
    .execute();
  const mapped = await trx
    .insertInto('lti_user_identities')
    .values({ tenant_id: s.tenantId, issuer: s.issuer, client_id: s.clientId, sub, user_id: id, created_at: s.now, last_seen_at: s.now })
    .onConflict((oc) => oc.columns(['tenant_id', 'issuer', 'client_id', 'sub']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (mapped) return id;
  // Another instance mapped this person first, in a transaction that has committed by now.
  await trx.deleteFrom('lti_users').where('id', '=', id).execute();
  return (
    await trx
      .selectFrom('lti_user_identities')
      .select('user_id')
      .where('tenant_id', '=', s.tenantId)
      .where('issuer', '=', s.issuer)
      .where('client_id', '=', s.clientId)
      .where('sub', '=', sub)
      .executeTakeFirstOrThrow()
  ).user_id;
}

async function upsertContext(trx: Trx, s: Scope, claims: Claims): Promise<string | null> {
  const context = objectClaim(claims, 'context');
  const contextId = stringAt(context, 'id');
  if (!context || !contextId) return null;
  const types = Array.isArray(context.type) ? context.type.filter((t): t is string => typeof t === 'string') : [];
  const lis = objectClaim(claims, 'lis');
  const claimed = {
    label: stringAt(context, 'label'),
    title: stringAt(context, 'title'),
    lis_course_offering_sourcedid: stringAt(lis, 'course_offering_sourcedid'),
    lis_course_section_sourcedid: stringAt(lis, 'course_section_sourcedid'),
  };
  const key = { ...placement(s), context_id: contextId };
  const seen = await trx
    .selectFrom('lti_contexts')
    .select(['id', 'label', 'title', 'types', 'lis_course_offering_sourcedid', 'lis_course_section_sourcedid'])
    .where((eb) => eb.and(key))
    .executeTakeFirst();
  if (seen && bringsNothingNew(seen, claimed) && (types.length === 0 || seen.types.join('\n') === types.join('\n'))) return seen.id;
  const row = await trx
    .insertInto('lti_contexts')
    .values({ id: randomUUID(), ...key, ...claimed, types, created_at: s.now, updated_at: s.now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'issuer', 'client_id', 'deployment_id', 'context_id']).doUpdateSet({
        label: sql`coalesce(excluded.label, lti_contexts.label)`,
        title: sql`coalesce(excluded.title, lti_contexts.title)`,
        types: sql`CASE WHEN cardinality(excluded.types) > 0 THEN excluded.types ELSE lti_contexts.types END`,
        lis_course_offering_sourcedid: sql`coalesce(excluded.lis_course_offering_sourcedid, lti_contexts.lis_course_offering_sourcedid)`,
        lis_course_section_sourcedid: sql`coalesce(excluded.lis_course_section_sourcedid, lti_contexts.lis_course_section_sourcedid)`,
        updated_at: s.now,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function upsertMembership(trx: Trx, tenantId: TenantId, contextId: string, userId: string, roles: string[], now: Date): Promise<void> {
  await trx
    .insertInto('lti_memberships')
    .values({ context_id: contextId, user_id: userId, tenant_id: tenantId, roles, kind: contextRoleKind(roles), updated_at: now })
    .onConflict((oc) => oc.columns(['context_id', 'user_id']).doUpdateSet({ roles: sql`excluded.roles`, kind: sql`excluded.kind`, updated_at: now }))
    .execute();
}

async function upsertResourceLink(trx: Trx, s: Scope, claims: Claims, contextId: string | null): Promise<string | null> {
  const link = objectClaim(claims, 'resourceLink');
  const linkId = stringAt(link, 'id');
  if (!link || !linkId) return null;
  const claimed = { context_id: contextId, title: stringAt(link, 'title'), description: stringAt(link, 'description') };
  const key = { ...placement(s), resource_link_id: linkId };
  const seen = await trx
    .selectFrom('lti_resource_links')
    .select(['id', 'context_id', 'title', 'description'])
    .where((eb) => eb.and(key))
    .executeTakeFirst();
  if (seen && bringsNothingNew(seen, claimed)) return seen.id;
  const row = await trx
    .insertInto('lti_resource_links')
    .values({ id: randomUUID(), ...key, ...claimed, created_at: s.now, updated_at: s.now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'issuer', 'client_id', 'deployment_id', 'resource_link_id']).doUpdateSet({
        context_id: sql`coalesce(excluded.context_id, lti_resource_links.context_id)`,
        title: sql`coalesce(excluded.title, lti_resource_links.title)`,
        description: sql`coalesce(excluded.description, lti_resource_links.description)`,
        updated_at: s.now,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The columns that place a context or resource link: the tenant, the registration and the deployment. */
function placement(s: Scope) {
  return { tenant_id: s.tenantId, issuer: s.issuer, client_id: s.clientId, deployment_id: s.deploymentId };
}

/**
 * Whether a launch brings nothing new for a stored row: every claimed value is absent (absent claims
 * keep what is stored, as the upserts' coalesce does) or equal to the stored one. Every launch in a
 * course names the same context and resource link: writing them only when something changed keeps a
 * class launching at once from queueing on those two rows' locks.
 */
function bringsNothingNew(stored: Record<string, unknown>, claimed: Record<string, string | null>): boolean {
  return Object.entries(claimed).every(([column, value]) => value === null || stored[column] === value);
}
