import { type District, gradeNumber, type School } from './district-model.js';
import {
  everyone,
  guardianId,
  guardianOf,
  type Person,
  RACES,
  ROLES,
  type StaffKind,
  staff,
  student,
  studentId,
  type UserKind,
  type UserRef,
} from './people.js';
import type { Row, RowSource } from './write-package.js';

/**
 * users, roles, userProfiles (1.2) and demographics. The 1.1 users file carries each user's single
 * role and orgSourcedIds; 1.2 moves roles to roles.csv and adds primaryOrgSourcedId (§7.5, §8.6).
 * One builder serves both versions: the spec table keeps the columns its version has.
 */
export function userSources(district: District): Record<string, RowSource> {
  return {
    users: () => users(district),
    roles: () => roles(district),
    userProfiles: () => userProfiles(district),
    demographics: () => demographics(district),
  };
}

const STAFF: ReadonlySet<UserKind> = new Set<UserKind>(['teacher', 'principal', 'districtAdministrator', 'systemAdministrator']);
const profileId = (u: UserRef) => `up-${u.sourcedId}`;

function* users(district: District): Generator<Row> {
  let gradesOf = new Map<number, string[]>();
  let gradesSchool: School | undefined;
  for (const u of everyone(district)) {
    switch (u.kind) {
      case 'student': {
        const s = student(district, u.number, u.cohort);
        yield {
          ...common(u, s),
          userIds: [`{LDAP:${s.username}}`, `{SIS:${s.identifier}}`],
          agentSourcedIds: s.guardian ? [guardianId(u.number)] : undefined,
          grades: [u.cohort.grade],
        };
        break;
      }
      case 'parent':
      case 'guardian': {
        const child = student(district, u.number, u.cohort);
        const g = guardianOf(district, u.number, child);
        // 555-01xx numbers are reserved for fiction.
        const phone = `+1-206-555-01${String(u.number % 100).padStart(2, '0')}`;
        yield { ...common(u, g), phone, sms: u.number % 3 === 0 ? phone : undefined, agentSourcedIds: [studentId(u.number)] };
        break;
      }
      case 'teacher': {
        const school = u.school;
        if (school !== gradesSchool) {
          gradesSchool = school;
          gradesOf = teacherGrades(school);
        }
        const p = staff(district, 'teacher', u.number);
        yield { ...common(u, p), userIds: [`{LDAP:${p.username}}`], grades: gradesOf.get(u.number) };
        break;
      }
      case 'principal':
      case 'districtAdministrator':
      case 'systemAdministrator': {
        const p = staff(district, u.kind, u.number);
        yield { ...common(u, p), userIds: [`{LDAP:${p.username}}`] };
        break;
      }
      default: {
        const unhandled: never = u;
        throw new Error(`unhandled user ${JSON.stringify(unhandled)}`);
      }
    }
  }
}

function common(u: UserRef, p: Person): Row {
  return {
    sourcedId: u.sourcedId,
    enabledUser: 'true',
    orgSourcedIds: [u.orgSourcedId],
    role: ROLES[u.kind].role11,
    username: p.username,
    givenName: p.givenName,
    familyName: p.familyName,
    middleName: p.middleName,
    identifier: p.identifier,
    email: p.email,
    userMasterIdentifier: p.identifier,
    preferredGivenName: p.preferredGivenName,
    primaryOrgSourcedId: u.orgSourcedId,
    pronouns: p.pronouns,
  };
}

/** The grades each of the school's teachers teaches, in grade order ("09,10"). */
function teacherGrades(school: School): Map<number, string[]> {
  const grades = new Map<number, string[]>();
  for (const c of school.classes) {
    for (const t of c.teachers) {
      const list = grades.get(t) ?? [];
      if (!list.includes(c.cohort.grade)) list.push(c.cohort.grade);
      grades.set(t, list);
    }
  }
  for (const list of grades.values()) list.sort((a, b) => gradeNumber(a) - gradeNumber(b));
  return grades;
}

/** 1.2: one primary role per user at their school (the district for district staff); staff roles name their LMS profile. */
function* roles(district: District): Generator<Row> {
  const { startDate, endDate } = district.calendar.year;
  for (const u of everyone(district)) {
    const guardian = u.kind === 'parent' || u.kind === 'guardian';
    yield {
      sourcedId: `role-${u.sourcedId}`,
      userSourcedId: u.sourcedId,
      roleType: 'primary',
      role: ROLES[u.kind].role12,
      beginDate: guardian ? undefined : startDate,
      endDate: guardian ? undefined : endDate,
      orgSourcedId: u.orgSourcedId,
      userProfileSourcedId: STAFF.has(u.kind) ? profileId(u) : undefined,
    };
  }
}

/** 1.2: staff have a sign-in profile for the district's LMS (profileType and credentialType as VRd118 writes them, §8.8). */
function* userProfiles(district: District): Generator<Row> {
  for (const u of everyone(district)) {
    if (!STAFF.has(u.kind)) continue;
    yield {
      sourcedId: profileId(u),
      userSourcedId: u.sourcedId,
      profileType: 'SYSTEM',
      vendorId: 'edhub',
      applicationId: 'edhub-lms',
      description: 'EdHub LMS sign-in',
      credentialType: 'login',
      username: staff(district, u.kind as StaffKind, u.number).username,
    };
  }
}

/** One row per student; its sourcedId is the student's (§7.3, as VRd118 does). */
function* demographics(district: District): Generator<Row> {
  for (const school of district.schools) {
    for (const cohort of school.cohorts) {
      for (let i = cohort.firstStudent; i < cohort.firstStudent + cohort.count; i++) {
        const s = student(district, i, cohort);
        const row: Record<string, string | undefined> = {
          sourcedId: studentId(i),
          birthDate: s.birthDate,
          sex: s.sex,
          demographicRaceTwoOrMoreRaces: String(s.races.size > 1),
          hispanicOrLatinoEthnicity: String(s.hispanicOrLatino),
          countryOfBirthCode: s.countryOfBirthCode,
          stateOfBirthAbbreviation: s.stateOfBirthAbbreviation,
          cityOfBirth: s.cityOfBirth,
        };
        for (const race of RACES) row[race] = String(s.races.has(race));
        yield row;
      }
    }
  }
}
