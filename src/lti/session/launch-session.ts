import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isUuid, type TenantId } from '../../tenancy/ids.js';
import { isObject, objectClaim, stringAt } from '../claims.js';
import { LtiError } from '../errors.js';
import { contextRoleKind, type RoleKind, roleLabel } from '../roles.js';
import { type RosterLink, rosterLinkOf } from './roster-link.js';

/** An application session as the landing page and GET /lti/session show it. */
export interface LaunchSession {
  launchId: string;
  tenant: { id: string; name: string };
  platform: { id: string; name: string; issuer: string; clientId: string; product: string | null };
  deploymentId: string;
  messageType: string;
  user: {
    id: string;
    sub: string;
    name: string | null;
    givenName: string | null;
    familyName: string | null;
    email: string | null;
    lisPersonSourcedId: string | null;
  } | null;
  roles: { uri: string; label: string }[];
  roleKind: RoleKind;
  context: { id: string; contextId: string; label: string | null; title: string | null; lisCourseSectionSourcedId: string | null } | null;
  resourceLink: { id: string; resourceLinkId: string; title: string | null } | null;
  /** The tenant's OneRoster user, class and enrollment this launch is linked to (see roster-link.ts). */
  roster: RosterLink;
  targetLinkUri: string | null;
  deepLinkReturnUrl: string | null;
  createdAt: string;
  expiresAt: string;
}

export async function loadLaunchSession(db: Kysely<Database>, ref: { launchId: string; tenantId: TenantId }, now: Date): Promise<LaunchSession> {
  if (!isUuid(ref.launchId)) throw new LtiError('launch-token-invalid', 'the token names no launch');
  const row = await db
    .selectFrom('lti_launches as l')
    .innerJoin('lti_platforms as p', 'p.id', 'l.platform_id')
    .innerJoin('tenants as t', 't.id', 'l.tenant_id')
    .leftJoin('lti_users as u', 'u.id', 'l.user_id')
    .leftJoin('lti_contexts as c', 'c.id', 'l.context_id')
    .leftJoin('lti_resource_links as r', 'r.id', 'l.resource_link_id')
    .select([
      'l.id',
      'l.deployment_id',
      'l.message_type',
      'l.sub',
      'l.roles',
      'l.target_link_uri',
      'l.claims',
      'l.created_at',
      'l.expires_at',
      't.id as tenant_id',
      't.name as tenant_name',
      'p.id as platform_id',
      'p.name as platform_name',
      'p.issuer',
      'p.client_id',
      'u.id as user_id',
      'u.name as user_name',
      'u.given_name',
      'u.family_name',
      'u.email',
      'u.lis_person_sourcedid',
      'c.id as context_uuid',
      'c.context_id',
      'c.label as context_label',
      'c.title as context_title',
      'c.lis_course_section_sourcedid',
      'r.id as link_uuid',
      'r.resource_link_id',
      'r.title as link_title',
    ])
    .where('l.id', '=', ref.launchId)
    .where('l.tenant_id', '=', ref.tenantId)
    .executeTakeFirst();
  if (!row) throw new LtiError('launch-token-invalid', 'the launch of this token no longer exists');
  if (row.expires_at.getTime() <= now.getTime()) throw new LtiError('launch-token-invalid', 'the session of this token has ended');
  const claims = row.claims;
  const settings = objectClaim(claims, 'deepLinkingSettings');
  const toolPlatform = objectClaim(claims, 'toolPlatform');
  return {
    launchId: row.id,
    tenant: { id: row.tenant_id, name: row.tenant_name },
    platform: { id: row.platform_id, name: row.platform_name, issuer: row.issuer, clientId: row.client_id, product: stringAt(toolPlatform, 'name') },
    deploymentId: row.deployment_id,
    messageType: row.message_type,
    user:
      row.user_id && row.sub
        ? {
            id: row.user_id,
            sub: row.sub,
            name: row.user_name,
            givenName: row.given_name,
            familyName: row.family_name,
            email: row.email,
            lisPersonSourcedId: row.lis_person_sourcedid,
          }
        : null,
    roles: row.roles.map((uri) => ({ uri, label: roleLabel(uri) })),
    roleKind: contextRoleKind(row.roles),
    context:
      row.context_uuid && row.context_id
        ? {
            id: row.context_uuid,
            contextId: row.context_id,
            label: row.context_label,
            title: row.context_title,
            lisCourseSectionSourcedId: row.lis_course_section_sourcedid,
          }
        : null,
    resourceLink: row.link_uuid && row.resource_link_id ? { id: row.link_uuid, resourceLinkId: row.resource_link_id, title: row.link_title } : null,
    roster: await rosterLinkOf(db, ref.tenantId, {
      personSourcedId: row.lis_person_sourcedid ?? null,
      courseSectionSourcedId: row.lis_course_section_sourcedid ?? null,
    }),
    targetLinkUri: row.target_link_uri,
    deepLinkReturnUrl: isObject(settings) ? stringAt(settings, 'deep_link_return_url') : null,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}
