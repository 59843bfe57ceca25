import { readLtiStandard } from './standard-file.js';

/** LIS role vocabularies (standards/lti/roles.json; fact sheet §5). */
export type RoleKind = 'administrator' | 'teacher' | 'student' | 'guardian' | 'other';

interface Vocabulary {
  prefix: string;
  subRolePrefix?: string;
  core: string[];
  nonCore: string[];
}
interface RolesFile {
  vocabularies: Record<'system' | 'institution' | 'membership' | 'lti', Vocabulary>;
  kinds: { order: RoleKind[]; byPrincipalRole: Record<string, RoleKind>; bySubRole: Record<string, RoleKind> };
}

const file = readLtiStandard<RolesFile>('roles.json');
const membership = file.vocabularies.membership;
const shortContextRoles = new Set([...membership.core, ...membership.nonCore]);

/**
 * Normalises a roles claim (fact sheet §4.3, §14.12): empty entries are dropped; deprecated short
 * names of context roles (`Instructor`) become membership URIs; unknown URIs are kept unchanged —
 * a role is never a reason to reject a launch.
 */
export function normaliseRoles(roles: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of roles) {
    const role = raw.trim();
    if (role === '') continue;
    const uri = shortContextRoles.has(role) ? membership.prefix + role : role;
    if (!out.includes(uri)) out.push(uri);
  }
  return out;
}

/**
 * EdHub's internal role for a set of (normalised) roles in a context: the highest-precedence kind any
 * context role or sub-role maps to; "other" when none does (fact sheet §5.3).
 */
export function contextRoleKind(roles: readonly string[]): RoleKind {
  const kinds = new Set<RoleKind>();
  for (const role of roles) {
    if (role.startsWith(membership.prefix)) {
      const kind = file.kinds.byPrincipalRole[role.slice(membership.prefix.length)];
      if (kind) kinds.add(kind);
    } else if (membership.subRolePrefix && role.startsWith(membership.subRolePrefix)) {
      const rest = role.slice(membership.subRolePrefix.length); // Instructor#TeachingAssistant
      const kind = file.kinds.bySubRole[rest] ?? file.kinds.byPrincipalRole[rest.split('#')[0] ?? ''];
      if (kind) kinds.add(kind);
    }
  }
  return file.kinds.order.find((k) => kinds.has(k)) ?? 'other';
}

/** A short, readable label for a role URI: "Instructor", "Instructor#TeachingAssistant", "institution: Student". */
export function roleLabel(role: string): string {
  for (const [name, v] of Object.entries(file.vocabularies)) {
    if (role.startsWith(v.prefix)) return name === 'membership' ? role.slice(v.prefix.length) : `${name}: ${role.slice(v.prefix.length)}`;
    if (v.subRolePrefix && role.startsWith(v.subRolePrefix)) return role.slice(v.subRolePrefix.length);
  }
  return role;
}
