import { ID_MAX_LENGTH } from '../claims.js';
import { pointer, type ValidationProblem } from './json-pointer.js';
import { isObject } from './read-json.js';
import { MEMBER_STATUS, type MemberStatus } from './vocabulary.js';

/** One member of a context (NRPS §2.2; fact sheet §9), in EdHub's spelling. */
export interface NrpsMember {
  userId: string;
  /** Role URIs as the platform sent them (short and unknown roles included: fact sheet §14.12). */
  roles: string[];
  /** Absent in the response means Active. Deleted appears only in a differences response. */
  status: MemberStatus;
  name?: string;
  givenName?: string;
  familyName?: string;
  middleName?: string;
  email?: string;
  picture?: string;
  lisPersonSourcedId?: string;
  lti11LegacyUserId?: string;
  /** With `rlid`: the launch claims this member would get from that resource link (NRPS §3). */
  messages?: Record<string, unknown>[];
}

const OPTIONAL_STRINGS = [
  ['name', 'name'],
  ['given_name', 'givenName'],
  ['family_name', 'familyName'],
  ['middle_name', 'middleName'],
  ['email', 'email'],
  ['picture', 'picture'],
  ['lis_person_sourcedid', 'lisPersonSourcedId'],
  ['lti11_legacy_user_id', 'lti11LegacyUserId'],
] as const;

/**
 * Minimal validation of one member: user_id (a non-empty LTI id), roles (an array of strings), status
 * (the NRPS enum, default Active), message (an array of objects). A member that fails is returned as
 * problems located by JSON pointer into the page (`/members/4/roles`), and left out; the rest of the
 * page is kept. Optional personal fields of the wrong type are dropped with a problem, not fatal.
 */
export function readMember(raw: unknown, index: number): { member?: NrpsMember; problems: ValidationProblem[] } {
  const at = (...tokens: (string | number)[]) => pointer('members', index, ...tokens);
  if (!isObject(raw)) return { problems: [{ pointer: at(), message: 'a member must be a JSON object' }] };
  const problems: ValidationProblem[] = [];
  const userId = raw.user_id;
  if (typeof userId !== 'string' || userId === '' || userId.length > ID_MAX_LENGTH) {
    problems.push({ pointer: at('user_id'), message: `user_id must be a string of 1–${ID_MAX_LENGTH} characters` });
  }
  const roles = raw.roles;
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) problems.push({ pointer: at('roles'), message: 'roles must be an array of strings' });
  const status = raw.status ?? 'Active';
  if (typeof status !== 'string' || !(MEMBER_STATUS as readonly string[]).includes(status)) {
    problems.push({ pointer: at('status'), message: `status must be one of ${MEMBER_STATUS.join(', ')}` });
  }
  const message = raw.message;
  if (message !== undefined && (!Array.isArray(message) || !message.every(isObject))) {
    problems.push({ pointer: at('message'), message: 'message must be an array of objects' });
  }
  if (problems.length > 0) return { problems };

  const member: NrpsMember = { userId: userId as string, roles: [...(roles as string[])], status: status as MemberStatus };
  for (const [wire, field] of OPTIONAL_STRINGS) {
    const v = raw[wire];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') member[field] = v;
    else problems.push({ pointer: at(wire), message: `${wire} must be a string; ignored` });
  }
  if (message !== undefined) member.messages = message as Record<string, unknown>[];
  return { member, problems };
}
