import type { EmulatedUser } from '../../state/directory.js';

/** One NRPS member (NRPS §2.2; shared/standards/lti.md §9): user_id and roles always, personal data where the user has it. */
export function member(user: EmulatedUser, status: 'Active' | 'Inactive' | 'Deleted'): Record<string, unknown> {
  return {
    status,
    user_id: user.id,
    roles: [...user.roles],
    ...(user.name !== undefined ? { name: user.name } : {}),
    ...(user.givenName !== undefined ? { given_name: user.givenName } : {}),
    ...(user.familyName !== undefined ? { family_name: user.familyName } : {}),
    ...(user.middleName !== undefined ? { middle_name: user.middleName } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.picture !== undefined ? { picture: user.picture } : {}),
    ...(user.sourcedId !== undefined ? { lis_person_sourcedid: user.sourcedId } : {}),
  };
}

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

/** The `role` filter matches a full role URI, or a short context role name as a membership role (lti.md §4.3). */
export function hasRole(user: EmulatedUser, role: string): boolean {
  const wanted = role.includes(':') ? role : `${MEMBERSHIP}${role}`;
  return user.roles.some((r) => r === wanted || (!r.includes(':') && `${MEMBERSHIP}${r}` === wanted));
}
