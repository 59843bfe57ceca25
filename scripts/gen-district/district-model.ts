import { type SchoolCalendar, schoolCalendar } from './calendar.js';
import { asciiLogin, FAMILY, FEMALE_GIVEN, MALE_GIVEN, PLACES } from './names.js';
import { apportion, Random } from './random.js';

/**
 * The shape of a synthetic district: schools, grade cohorts, courses, class sections and who teaches
 * them. Only this skeleton is held in memory (a few objects per class); students, staff and their
 * enrollments are derived on demand from their numbers, so a file can be streamed in one pass.
 */
export const STUDENTS_PER_SCHOOL = 500;
export const CLASS_SIZE = 25;
export const CLASSES_PER_TEACHER = 6;
/** Share of classes with a second, non-primary teacher. */
const CO_TEACHER_SHARE = 0.1;

/** CEDS grade levels, as OneRoster grades lists write them. */
export const GRADES = ['KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;

export interface Subject {
  code: string;
  name: string;
}

/** Every student takes one class of each subject of their grade: eight enrollments (fact sheet §12, "≈8 classes per student"). */
const ELEMENTARY_SUBJECTS: readonly Subject[] = [
  { code: 'READ', name: 'Reading' },
  { code: 'MATH', name: 'Mathematics' },
  { code: 'WRIT', name: 'Writing' },
  { code: 'SCI', name: 'Science' },
  { code: 'SOC', name: 'Social Studies' },
  { code: 'ART', name: 'Art' },
  { code: 'MUS', name: 'Music' },
  { code: 'PE', name: 'Physical Education' },
];
const SECONDARY_SUBJECTS: readonly Subject[] = [
  { code: 'ELA', name: 'English Language Arts' },
  { code: 'MATH', name: 'Mathematics' },
  { code: 'SCI', name: 'Science' },
  { code: 'SOC', name: 'Social Studies' },
  { code: 'WL', name: 'World Languages' },
  { code: 'CS', name: 'Computer Science' },
  { code: 'ART', name: 'Visual Arts' },
  { code: 'PE', name: 'Physical Education' },
];
export const SUBJECTS_PER_STUDENT = 8;

/** KG is 0, 01 is 1, … 12 is 12. */
export function gradeNumber(grade: string): number {
  return GRADES.indexOf(grade as (typeof GRADES)[number]);
}

export function subjectsFor(grade: string): readonly Subject[] {
  return gradeNumber(grade) <= 5 ? ELEMENTARY_SUBJECTS : SECONDARY_SUBJECTS;
}

type Level = 'elementary' | 'middle' | 'high' | 'secondary' | 'k12';
const LEVELS: Record<Level, { suffix: string; grades: readonly string[] }> = {
  elementary: { suffix: 'Elementary School', grades: GRADES.slice(0, 6) },
  middle: { suffix: 'Middle School', grades: GRADES.slice(6, 9) },
  high: { suffix: 'High School', grades: GRADES.slice(9) },
  secondary: { suffix: 'Secondary School', grades: GRADES.slice(6) },
  k12: { suffix: 'Academy', grades: GRADES },
};

/** The students of one grade at one school: numbers firstStudent … firstStudent + count - 1. */
export interface Cohort {
  grade: string;
  firstStudent: number;
  count: number;
  /** Sections of each subject, about CLASS_SIZE students each. */
  sections: number;
}

export interface ClassInfo {
  /** School number, grade, subject and section: what the class's own ids are built from. */
  key: string;
  sourcedId: string;
  courseSourcedId: string;
  title: string;
  classCode: string;
  cohort: Cohort;
  subject: Subject;
  subjectIndex: number;
  section: number;
  /** Index into calendar.semesters. */
  semester: 0 | 1;
  periods: string[];
  location: string;
  /** Teacher numbers; the first teaches as primary. */
  teachers: number[];
}

export interface School {
  index: number;
  /** index + 1, zero-padded: the part of the school's ids that names it. */
  number: string;
  sourcedId: string;
  name: string;
  identifier: string;
  grades: readonly string[];
  cohorts: Cohort[];
  /** Ordered by subject, grade, section, so each teacher's block of classes stays within one subject. */
  classes: ClassInfo[];
  firstTeacher: number;
  teacherCount: number;
}

export interface District {
  random: Random;
  sourcedId: string;
  name: string;
  identifier: string;
  /** Staff and student e-mail domain. */
  domain: string;
  calendar: SchoolCalendar;
  schools: School[];
  studentCount: number;
  teacherCount: number;
}

export interface DistrictOptions {
  students: number;
  seed: string;
  schoolYear: number;
}

export function buildDistrict(options: DistrictOptions): District {
  const random = Random.from(options.seed);
  const r = random.fork('district');
  const town = r.pick(PLACES);
  const identifier = String(r.int(100_000, 5_699_999)).padStart(7, '0');
  const levels = schoolLevels(Math.max(1, Math.round(options.students / STUDENTS_PER_SCHOOL)));
  // Bigger grade spans get more students; each school varies a little around that.
  const sizes = apportion(
    options.students,
    levels.map((l) => LEVELS[l].grades.length * (0.85 + 0.3 * r.next())),
  );
  const names = new Set<string>();
  const schools: School[] = [];
  let firstStudent = 0;
  let firstTeacher = 0;
  for (const [index, level] of levels.entries()) {
    const slot = { index, level, leaId: identifier, firstStudent, students: sizes[index] as number, firstTeacher };
    const school = buildSchool(random.fork('school', index), slot, names);
    schools.push(school);
    firstStudent += sizes[index] as number;
    firstTeacher += school.teacherCount;
  }
  return {
    random,
    sourcedId: 'dist-1',
    name: `${town} Unified School District`,
    identifier,
    domain: `${asciiLogin(town)}.example.org`,
    calendar: schoolCalendar(options.schoolYear),
    schools,
    studentCount: options.students,
    teacherCount: firstTeacher,
  };
}

/** About one school per STUDENTS_PER_SCHOOL students, split across levels in proportion to their grade spans (6 : 3 : 4). */
function schoolLevels(count: number): Level[] {
  if (count === 1) return ['k12'];
  if (count === 2) return ['elementary', 'secondary'];
  const middle = Math.max(1, Math.round((count * 3) / 13));
  const high = Math.max(1, Math.round((count * 4) / 13));
  const elementary = count - middle - high;
  return [...Array<Level>(elementary).fill('elementary'), ...Array<Level>(middle).fill('middle'), ...Array<Level>(high).fill('high')];
}

/** Where a school sits in the district: its position, level, and the first student and teacher numbers it owns. */
interface SchoolSlot {
  index: number;
  level: Level;
  leaId: string;
  firstStudent: number;
  students: number;
  firstTeacher: number;
}

function buildSchool(r: Random, { index, level, leaId, firstStudent, students, firstTeacher }: SchoolSlot, taken: Set<string>): School {
  const number = String(index + 1).padStart(3, '0');
  const sourcedId = `sch-${number}`;
  const { suffix, grades } = LEVELS[level];
  const counts = apportion(
    students,
    grades.map(() => 0.9 + 0.2 * r.next()),
  );
  const cohorts: Cohort[] = [];
  let next = firstStudent;
  for (const [i, grade] of grades.entries()) {
    const count = counts[i] as number;
    if (count > 0) cohorts.push({ grade, firstStudent: next, count, sections: Math.max(1, Math.round(count / CLASS_SIZE)) });
    next += count;
  }

  const classes: ClassInfo[] = [];
  for (let k = 0; k < SUBJECTS_PER_STUDENT; k++) {
    for (const cohort of cohorts) {
      const subject = subjectsFor(cohort.grade)[k] as Subject;
      const courseSourcedId = courseId(number, cohort.grade, subject);
      for (let section = 1; section <= cohort.sections; section++) {
        const period = 1 + ((k + section) % 7);
        // High-school science runs as a double lab period: a two-item periods list.
        const periods = subject.code === 'SCI' && gradeNumber(cohort.grade) >= 9 ? [String(period), String(period + 1)] : [String(period)];
        const key = `${number}-${cohort.grade}-${subject.code}-${section}`;
        classes.push({
          key,
          sourcedId: `cls-${key}`,
          courseSourcedId,
          title: `${subject.name} ${gradeLabel(cohort.grade)} — Section ${section}`,
          classCode: `${subject.code}-${cohort.grade}-${String(section).padStart(2, '0')}`,
          cohort,
          subject,
          subjectIndex: k,
          section,
          semester: ((k + section) % 2) as 0 | 1,
          periods,
          location: `Room ${r.int(1, 3)}${String(r.int(1, 40)).padStart(2, '0')}`,
          teachers: [],
        });
      }
    }
  }

  // Consecutive blocks of about CLASSES_PER_TEACHER classes, so a teacher keeps to one subject over adjacent grades.
  const teacherCount = Math.max(1, Math.ceil(classes.length / CLASSES_PER_TEACHER));
  for (const [j, c] of classes.entries()) {
    const t = Math.floor((j * teacherCount) / classes.length);
    c.teachers.push(firstTeacher + t);
    if (teacherCount > 1 && r.chance(CO_TEACHER_SHARE)) c.teachers.push(firstTeacher + ((t + 1) % teacherCount));
  }

  return {
    index,
    number,
    sourcedId,
    name: schoolName(r, suffix, taken),
    identifier: `${leaId}${String(index + 1).padStart(5, '0')}`,
    grades,
    cohorts,
    classes,
    firstTeacher,
    teacherCount,
  };
}

function schoolName(r: Random, suffix: string, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const stem = r.chance(0.5) ? r.pick(PLACES) : `${r.pick(r.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN)} ${r.pick(FAMILY)}`;
    const name = attempt < 20 ? `${stem} ${suffix}` : `${stem} ${suffix} ${attempt}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** One course per school, grade and subject. */
export function courseId(schoolNumber: string, grade: string, subject: Subject): string {
  return `crs-${schoolNumber}-${grade}-${subject.code}`;
}

export function gradeLabel(grade: string): string {
  return grade === 'KG' ? 'K' : String(gradeNumber(grade));
}

/**
 * The students of each section of one subject in a cohort: the cohort shuffled by its own stream and
 * cut into `sections` nearly equal runs. Recomputed when needed, never stored per enrollment.
 */
export function sectionMembers(district: District, school: School, cohort: Cohort, subjectIndex: number): Int32Array[] {
  const order = new Int32Array(cohort.count);
  for (let i = 0; i < cohort.count; i++) order[i] = cohort.firstStudent + i;
  district.random.fork('sections', school.index, cohort.grade, subjectIndex).shuffle(order);
  const sizes = apportion(cohort.count, Array<number>(cohort.sections).fill(1));
  const runs: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    runs.push(order.subarray(start, start + size));
    start += size;
  }
  return runs;
}

/** Each class with its students, school by school in class order; memberships for one cohort-subject are computed once. */
export function* classesWithMembers(
  district: District,
  onlySubjects?: ReadonlySet<number>,
): Generator<{ school: School; cls: ClassInfo; members: Int32Array }> {
  for (const school of district.schools) {
    let key: Cohort | undefined;
    let keySubject = -1;
    let runs: Int32Array[] = [];
    for (const cls of school.classes) {
      if (onlySubjects && !onlySubjects.has(cls.subjectIndex)) continue;
      if (cls.cohort !== key || cls.subjectIndex !== keySubject) {
        key = cls.cohort;
        keySubject = cls.subjectIndex;
        runs = sectionMembers(district, school, cls.cohort, cls.subjectIndex);
      }
      yield { school, cls, members: runs[cls.section - 1] as Int32Array };
    }
  }
}
