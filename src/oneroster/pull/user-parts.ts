import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';
import { derivedRoleId } from '../csv/import/canonical-row.js';
import { recordsWhereIn, type StoredRecord } from '../rest/read-records.js';
import { ROLE_11_TO_12 } from '../roles-11.js';
import { checkCells } from './convert-record.js';
import type { FileSpool, RowOrigin } from './package-spool.js';
import { dateOf, isObject, type Json, type Report, refId, scalar, type ValueProblemCode } from './rest-values.js';

/**
 * A 1.2 user's `roles` and `userProfiles` (fact sheet §7.3) as rows of roles.csv and userProfiles.csv,
 * which is where OneRoster CSV (and EdHub's store) keeps them.
 *
 * RoleDType carries no sourcedId, but a roles.csv row needs one. A role keeps the id it is stored
 * under when the tenant already has that user's role at the same org (matched on org and role), so a
 * pull after a CSV import of the same data changes nothing, and a role that only changed dates stays
 * the same record. A new role gets `<user>@<org>` — the id the import derives for 1.1 users
 * (canonical-row.ts) — made unique with the role name (and a number) when the user has several roles
 * at one org. A profile's id is its profileId.
 *
 * A delta user row is the whole truth about that user's roles and profiles, as a 1.1 user row is
 * (merge.ts retireReplacedRoles): the user's stored ones it no longer lists are written as tobedeleted,
 * and a deleted user takes them all with it. In a full pull, the bulk files' own rule does this.
 *
 * Users are handled in batches, with one query per batch for the stored roles (and profiles).
 */
export const USER_BATCH = 500;

/** roles.csv / userProfiles.csv column → the field below the role or profile it comes from ('' = the user itself). */
export const ROLE_FIELDS: Readonly<Record<string, string>> = {
  sourcedId: '',
  userSourcedId: '',
  roleType: 'roleType',
  role: 'role',
  beginDate: 'beginDate',
  endDate: 'endDate',
  orgSourcedId: 'org',
  userProfileSourcedId: 'userProfile',
};
export const PROFILE_FIELDS: Readonly<Record<string, string>> = {
  sourcedId: 'profileId',
  userSourcedId: '',
  profileType: 'profileType',
  vendorId: 'vendorId',
  applicationId: 'applicationId',
  description: 'description',
  credentialType: 'credentials/0/type',
  username: 'credentials/0/username',
  password: 'credentials/0/password',
};

export interface UserEntry {
  record: Json;
  sourcedId: string;
  /** Delta only: the user arrived with status tobedeleted. */
  deleting: boolean;
  /** The user's dateLastModified as written in its own row ('' in bulk), stamped on its parts. */
  dateLastModified: string;
}

export type PartReport = (origin: RowOrigin, field: string, message: string, code?: ValueProblemCode) => void;

interface Part {
  part: string;
  json: Json;
}

export class UserParts {
  private pending: UserEntry[] = [];

  constructor(
    private readonly o: {
      db: Kysely<Database>;
      tenantId: TenantId;
      mode: 'bulk' | 'delta';
      roles: FileSpool;
      profiles: FileSpool;
      report: PartReport;
    },
  ) {}

  async add(user: UserEntry): Promise<void> {
    this.pending.push(user);
    if (this.pending.length >= USER_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const users = this.pending;
    this.pending = [];
    if (users.length === 0) return;
    const ids = users.map((u) => u.sourcedId);
    const storedRoles = groupByUser(await recordsWhereIn(this.o.db, this.o.tenantId, 'roles', 'userSourcedId', ids));
    const storedProfiles =
      this.o.mode === 'delta' ? groupByUser(await recordsWhereIn(this.o.db, this.o.tenantId, 'userProfiles', 'userSourcedId', ids)) : new Map();
    for (const user of users) {
      const roles = storedRoles.get(user.sourcedId) ?? [];
      const profiles = storedProfiles.get(user.sourcedId) ?? [];
      if (user.deleting) {
        for (const r of roles) await this.retire(this.o.roles, user, r.sourcedId);
        for (const p of profiles) await this.retire(this.o.profiles, user, p.sourcedId);
        continue;
      }
      const keptRoles = await this.writeRoles(user, roles);
      const keptProfiles = await this.writeProfiles(user);
      if (this.o.mode === 'delta') {
        for (const r of roles) if (!keptRoles.has(r.sourcedId)) await this.retire(this.o.roles, user, r.sourcedId);
        for (const p of profiles) if (!keptProfiles.has(p.sourcedId)) await this.retire(this.o.profiles, user, p.sourcedId);
      }
    }
  }

  private async writeRoles(user: UserEntry, stored: StoredRecord[]): Promise<Set<string>> {
    const used = new Set<string>();
    const storedIds = new Set(stored.map((r) => r.sourcedId));
    for (const { part, json } of rolesOf(user.record, (field, message, code) => this.o.report(origin(user), field, message, code))) {
      const at = origin(user, part);
      const report: Report = (field, message, code) => this.o.report(at, field ? `${part}/${field}` : part, message, code);
      const values: Record<string, string> = {
        userSourcedId: user.sourcedId,
        roleType: scalar(json.roleType ?? '', 'roleType', report),
        role: scalar(json.role ?? '', 'role', report),
        orgSourcedId: json.org === undefined || json.org === null ? '' : refId(json.org, 'org', report),
        userProfileSourcedId: json.userProfile === undefined || json.userProfile === null ? '' : scalar(json.userProfile, 'userProfile', report),
        beginDate: json.beginDate === undefined || json.beginDate === null ? '' : dateOf(scalar(json.beginDate, 'beginDate', report)),
        endDate: json.endDate === undefined || json.endDate === null ? '' : dateOf(scalar(json.endDate, 'endDate', report)),
      };
      const reuse = stored.find((r) => !used.has(r.sourcedId) && r.fields.orgSourcedId === values.orgSourcedId && r.fields.role === values.role);
      const id = reuse?.sourcedId ?? freshRoleId(user.sourcedId, values, (candidate) => used.has(candidate) || storedIds.has(candidate));
      used.add(id);
      await this.write(this.o.roles, at, user, id, values, ROLE_FIELDS, report);
    }
    return used;
  }

  private async writeProfiles(user: UserEntry): Promise<Set<string>> {
    const written = new Set<string>();
    const list = user.record.userProfiles;
    if (list === undefined || list === null) return written;
    if (!Array.isArray(list)) {
      this.o.report(origin(user), 'userProfiles', 'must be an array');
      return written;
    }
    for (const [i, json] of list.entries()) {
      const part = `userProfiles/${i}`;
      const at = origin(user, part);
      const report: Report = (field, message, code) => this.o.report(at, field ? `${part}/${field}` : part, message, code);
      if (!isObject(json)) {
        report('', 'must be an object');
        continue;
      }
      const credentials = Array.isArray(json.credentials) ? json.credentials : [];
      if (json.credentials !== undefined && !Array.isArray(json.credentials)) report('credentials', 'must be an array');
      if (credentials.length > 1)
        report('credentials', `has ${credentials.length} credentials; a OneRoster CSV user profile holds one, so only the first is kept`, 'rest.lossy');
      const credential = isObject(credentials[0]) ? credentials[0] : {};
      const text = (v: unknown, field: string) => (v === undefined || v === null ? '' : scalar(v, field, report));
      const values: Record<string, string> = {
        userSourcedId: user.sourcedId,
        profileType: text(json.profileType, 'profileType'),
        vendorId: text(json.vendorId, 'vendorId'),
        applicationId: text(json.applicationId, 'applicationId'),
        description: text(json.description, 'description'),
        credentialType: text(credential.type, 'credentials/0/type'),
        username: text(credential.username, 'credentials/0/username'),
        password: text(credential.password, 'credentials/0/password'),
      };
      const id = text(json.profileId, 'profileId');
      written.add(id);
      await this.write(this.o.profiles, at, user, id, values, PROFILE_FIELDS, report);
    }
    return written;
  }

  private async write(
    spool: FileSpool,
    at: RowOrigin,
    user: UserEntry,
    id: string,
    values: Record<string, string>,
    fields: Readonly<Record<string, string>>,
    report: Report,
  ): Promise<void> {
    const status = this.o.mode === 'bulk' ? '' : 'active';
    const cells = [id, status, user.dateLastModified, ...spool.file.columns.map((c) => values[c.name] ?? '')];
    checkCells(cells, undefined, (i) => fields[spool.file.header[i] as string] ?? '', report);
    await spool.add(at, { cells, metadata: undefined });
  }

  /** A stored role or profile the user no longer has: a delta row that deletes it. */
  private async retire(spool: FileSpool, user: UserEntry, id: string): Promise<void> {
    await spool.add(origin(user), { cells: [id, 'tobedeleted', user.dateLastModified, ...spool.file.columns.map(() => '')], metadata: undefined });
  }
}

/**
 * The user's roles. A user with no `roles` but a 1.1 `role` and `orgs` (a provider mixing shapes,
 * fact sheet §1) gets the roles the import derives from a 1.1 user row: one per org, the first primary.
 */
function rolesOf(user: Json, report: Report): Part[] {
  const roles = user.roles;
  if (Array.isArray(roles)) {
    return roles.flatMap((json, i) => {
      if (isObject(json)) return [{ part: `roles/${i}`, json }];
      report(`roles/${i}`, 'must be an object');
      return [];
    });
  }
  if (roles !== undefined && roles !== null) {
    report('roles', 'must be an array');
    return [];
  }
  if (typeof user.role === 'string' && Array.isArray(user.orgs)) {
    const role = ROLE_11_TO_12[user.role] ?? user.role;
    return user.orgs.map((org, n) => ({ part: `orgs/${n}`, json: { roleType: n === 0 ? 'primary' : 'secondary', role, org } }));
  }
  return [];
}

function freshRoleId(user: string, values: Record<string, string>, taken: (id: string) => boolean): string {
  const base = derivedRoleId(user, values.orgSourcedId ?? '');
  if (!taken(base)) return base;
  const withRole = `${base}@${values.role}`;
  let id = withRole;
  for (let n = 2; taken(id); n++) id = `${withRole}@${n}`;
  return id;
}

function origin(user: UserEntry, part?: string): RowOrigin {
  return { endpoint: '/users', sourcedId: user.sourcedId, ...(part ? { part } : {}) };
}

function groupByUser(records: StoredRecord[]): Map<string, StoredRecord[]> {
  const m = new Map<string, StoredRecord[]>();
  for (const r of records) {
    const user = r.fields.userSourcedId ?? '';
    m.set(user, [...(m.get(user) ?? []), r]);
  }
  return m;
}
