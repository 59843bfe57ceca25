import { addDays } from './calendar.js';
import { type Cohort, type District, gradeNumber, type School } from './district-model.js';
import { asciiLogin, FAMILY, FEMALE_GIVEN, FOREIGN_BIRTHPLACES, MALE_GIVEN, PLACES, STATES } from './names.js';
import type { Random } from './random.js';

/**
 * The district's people, derived from their numbers: the same number always gives the same person,
 * so users.csv, roles.csv and demographics.csv can each be streamed on their own pass and agree.
 */
export type UserKind = 'student' | 'teacher' | 'principal' | 'districtAdministrator' | 'systemAdministrator' | 'parent' | 'guardian';

/** The user's role in each version's vocabulary: 1.1 users.role (role11), 1.2 roles.role (role12). */
export const ROLES: Record<UserKind, { role11: string; role12: string }> = {
  student: { role11: 'student', role12: 'student' },
  teacher: { role11: 'teacher', role12: 'teacher' },
  principal: { role11: 'administrator', role12: 'principal' },
  districtAdministrator: { role11: 'administrator', role12: 'districtAdministrator' },
  systemAdministrator: { role11: 'administrator', role12: 'systemAdministrator' },
  parent: { role11: 'parent', role12: 'parent' },
  guardian: { role11: 'guardian', role12: 'guardian' },
};

/** Share of students with a parent or guardian account (kept small so users stay close to students + staff). */
const GUARDIAN_SHARE = 0.04;

export const studentId = (i: number) => `stu-${i + 1}`;
export const teacherId = (t: number) => `tch-${t + 1}`;
export const guardianId = (studentIndex: number) => `grd-${studentIndex + 1}`;

export type Sex = 'male' | 'female' | 'other' | 'unspecified';

export interface Person {
  sex: Sex;
  givenName: string;
  familyName: string;
  middleName?: string;
  preferredGivenName?: string;
  pronouns?: string;
  username: string;
  identifier: string;
  email: string;
}

export interface Student extends Person {
  birthDate: string;
  races: ReadonlySet<Race>;
  hispanicOrLatino: boolean;
  countryOfBirthCode: string;
  stateOfBirthAbbreviation?: string;
  cityOfBirth: string;
  /** The kind of the student's parent or guardian account, when they have one. */
  guardian?: 'parent' | 'guardian';
}

export const RACES = ['americanIndianOrAlaskaNative', 'asian', 'blackOrAfricanAmerican', 'nativeHawaiianOrOtherPacificIslander', 'white'] as const;
export type Race = (typeof RACES)[number];
const RACE_WEIGHTS: readonly (readonly [Race, number])[] = [
  ['white', 50],
  ['blackOrAfricanAmerican', 15],
  ['asian', 6],
  ['americanIndianOrAlaskaNative', 1],
  ['nativeHawaiianOrOtherPacificIslander', 1],
];

function person(r: Random, district: { domain: string }, login: (given: string, family: string) => string, identifier: string, family?: string): Person {
  const sex = r.weighted<Sex>([
    ['female', 48.5],
    ['male', 48.5],
    ['other', 1],
    ['unspecified', 2],
  ]);
  const givenName = r.pick(sex === 'female' ? FEMALE_GIVEN : sex === 'male' ? MALE_GIVEN : r.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN);
  const familyName = family ?? r.pick(FAMILY);
  const username = login(asciiLogin(givenName), asciiLogin(familyName));
  const p: Person = { sex, givenName, familyName, username, identifier, email: `${username}@${district.domain}` };
  if (r.chance(0.4)) p.middleName = r.pick(r.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN);
  if (r.chance(0.05)) p.preferredGivenName = r.pick(sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
  if (r.chance(0.1)) p.pronouns = sex === 'female' ? 'she/her' : sex === 'male' ? 'he/him' : 'they/them';
  return p;
}

export function student(district: District, i: number, cohort: Cohort): Student {
  const r = district.random.fork('student', i);
  const p = person(r, district, (g, f) => `${g}.${f}${i + 1}`, `S${String(i + 1).padStart(7, '0')}`);
  // Old enough on 1 September of the school year's first year: KG pupils turn 5 by then.
  const born = addDays(`${district.calendar.schoolYear - 7 - gradeNumber(cohort.grade)}-09-01`, r.int(0, 364));
  const races = new Set<Race>([r.weighted(RACE_WEIGHTS)]);
  if (r.chance(0.04)) races.add(r.weighted(RACE_WEIGHTS));
  const foreign = r.chance(0.08) ? r.pick(FOREIGN_BIRTHPLACES) : undefined;
  const s: Student = {
    ...p,
    birthDate: born,
    races,
    hispanicOrLatino: r.chance(0.25),
    countryOfBirthCode: foreign ? foreign[0] : 'US',
    cityOfBirth: foreign ? foreign[1] : r.pick(PLACES),
  };
  if (!foreign) s.stateOfBirthAbbreviation = r.pick(STATES);
  if (r.chance(GUARDIAN_SHARE)) s.guardian = r.chance(0.85) ? 'parent' : 'guardian';
  return s;
}

export type StaffKind = 'teacher' | 'principal' | 'districtAdministrator' | 'systemAdministrator';
const STAFF_PREFIX: Record<StaffKind, string> = { teacher: 'T', principal: 'P', districtAdministrator: 'D', systemAdministrator: 'Y' };

/** Teachers, principals and district staff: numbered within their kind. */
export function staff(district: District, kind: StaffKind, n: number): Person {
  const prefix = STAFF_PREFIX[kind];
  const login = (given: string, family: string) => `${given.slice(0, 1)}${family}.${prefix.toLowerCase()}${n + 1}`;
  return person(district.random.fork(kind, n), district, login, `${prefix}${String(n + 1).padStart(7, '0')}`);
}

/** A student's parent or guardian; most share the student's family name. */
export function guardianOf(district: District, i: number, child: Student): Person {
  const r = district.random.fork('guardian', i);
  const family = r.chance(0.8) ? child.familyName : undefined;
  return person(r, { domain: 'example.com' }, (g, f) => `${g}.${f}.g${i + 1}`, `G${String(i + 1).padStart(7, '0')}`, family);
}

/**
 * One user as the user files enumerate them. `number` is a student's own number (and their guardian's),
 * or a staff member's number within their kind; `orgSourcedId` is the org of the primary role: the
 * school, or the district for district staff.
 */
interface UserBase {
  sourcedId: string;
  orgSourcedId: string;
  number: number;
}
export type UserRef =
  | (UserBase & { kind: 'student' | 'parent' | 'guardian'; school: School; cohort: Cohort })
  | (UserBase & { kind: 'teacher' | 'principal'; school: School })
  | (UserBase & { kind: 'districtAdministrator' | 'systemAdministrator' });

/** Every user, in users.csv order: district staff, then school by school the principal, the teachers, each student followed by their guardian. */
export function* everyone(district: District): Generator<UserRef> {
  yield { kind: 'districtAdministrator', sourcedId: 'adm-d1', orgSourcedId: district.sourcedId, number: 0 };
  yield { kind: 'systemAdministrator', sourcedId: 'adm-d2', orgSourcedId: district.sourcedId, number: 1 };
  for (const school of district.schools) {
    const orgSourcedId = school.sourcedId;
    yield { kind: 'principal', sourcedId: `adm-${school.number}`, orgSourcedId, school, number: school.index };
    for (let t = school.firstTeacher; t < school.firstTeacher + school.teacherCount; t++)
      yield { kind: 'teacher', sourcedId: teacherId(t), orgSourcedId, school, number: t };
    for (const cohort of school.cohorts) {
      for (let i = cohort.firstStudent; i < cohort.firstStudent + cohort.count; i++) {
        yield { kind: 'student', sourcedId: studentId(i), orgSourcedId, school, number: i, cohort };
        const kind = student(district, i, cohort).guardian;
        if (kind) yield { kind, sourcedId: guardianId(i), orgSourcedId, school, number: i, cohort };
      }
    }
  }
}
