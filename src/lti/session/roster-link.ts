import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';

/**
 * Where a launch meets the tenant's OneRoster roster (issue 5 item 6). LTI users, contexts and
 * memberships are EdHub's own LTI entities (lti_users with the external-identity map
 * lti_user_identities, lti_contexts, lti_memberships); the roster comes from the SIS (CSV, REST push or
 * pull). They are linked by the identifiers the platform sends for exactly this purpose — the LIS
 * claim's `person_sourcedid` (a OneRoster user's sourcedId) and `course_section_sourcedid` (a class's)
 * — resolved when read, so an import that arrives after the launch links it with no extra step and a
 * record that becomes tobedeleted unlinks it. Nothing is guessed from names or e-mail addresses, and a
 * launch never writes roster records: the SIS stays the roster's one source of truth. (NRPS
 * reconciliation, which does write enrollments for linked classes, comes with LTI Advantage.)
 */
export interface RosterLink {
  user: { sourcedId: string; givenName: string | null; familyName: string | null; roles: string[] } | null;
  class: { sourcedId: string; title: string | null; courseSourcedId: string | null } | null;
  /** The user's active enrollment in that class, when both are linked. */
  enrollment: { sourcedId: string; role: string | null } | null;
}

interface Row {
  user_id: string | null;
  given_name: string | null;
  family_name: string | null;
  user_roles: string[] | null;
  class_id: string | null;
  class_title: string | null;
  course_id: string | null;
  enrollment_id: string | null;
  enrollment_role: string | null;
}

export async function rosterLinkOf(
  db: Kysely<Database>,
  tenantId: TenantId,
  ids: { personSourcedId: string | null; courseSectionSourcedId: string | null },
): Promise<RosterLink> {
  if (!ids.personSourcedId && !ids.courseSectionSourcedId) return { user: null, class: null, enrollment: null };
  const { rows } = await sql<Row>`
    WITH u AS (
      SELECT sourced_id, fields FROM roster_records
      WHERE tenant_id = ${tenantId}::uuid AND file = 'users' AND sourced_id = ${ids.personSourcedId} AND status = 'active'
    ), c AS (
      SELECT sourced_id, fields FROM roster_records
      WHERE tenant_id = ${tenantId}::uuid AND file = 'classes' AND sourced_id = ${ids.courseSectionSourcedId} AND status = 'active'
    )
    SELECT u.sourced_id AS user_id, u.fields->>'givenName' AS given_name, u.fields->>'familyName' AS family_name,
      (SELECT array_agg(DISTINCT ro.fields->>'role' ORDER BY ro.fields->>'role') FROM roster_records ro
        WHERE ro.tenant_id = ${tenantId}::uuid AND ro.file = 'roles' AND ro.fields->>'userSourcedId' = u.sourced_id AND ro.status = 'active') AS user_roles,
      c.sourced_id AS class_id, c.fields->>'title' AS class_title, c.fields->>'courseSourcedId' AS course_id,
      e.sourced_id AS enrollment_id, e.fields->>'role' AS enrollment_role
    FROM (SELECT 1) one
    LEFT JOIN u ON true
    LEFT JOIN c ON true
    LEFT JOIN LATERAL (
      SELECT sourced_id, fields FROM roster_records
      WHERE tenant_id = ${tenantId}::uuid AND file = 'enrollments' AND fields->>'classSourcedId' = c.sourced_id
        AND fields->>'userSourcedId' = u.sourced_id AND status = 'active'
      ORDER BY sourced_id LIMIT 1
    ) e ON true`.execute(db);
  const r = rows[0];
  if (!r) return { user: null, class: null, enrollment: null };
  return {
    user: r.user_id ? { sourcedId: r.user_id, givenName: r.given_name, familyName: r.family_name, roles: r.user_roles ?? [] } : null,
    class: r.class_id ? { sourcedId: r.class_id, title: r.class_title, courseSourcedId: r.course_id } : null,
    enrollment: r.enrollment_id ? { sourcedId: r.enrollment_id, role: r.enrollment_role } : null,
  };
}
