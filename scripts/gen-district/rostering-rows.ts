import type { Session } from './calendar.js';
import { classesWithMembers, courseId, type District, gradeLabel, subjectsFor } from './district-model.js';
import { studentId, teacherId } from './people.js';
import type { Row, RowSource } from './write-package.js';

/** orgs, academicSessions, courses, classes and enrollments (fact sheet §7.3). */
export function rosteringSources(district: District): Record<string, RowSource> {
  return {
    orgs: () => orgs(district),
    academicSessions: () => academicSessions(district),
    courses: () => courses(district),
    classes: () => classes(district),
    enrollments: () => enrollments(district),
  };
}

function* orgs(district: District): Generator<Row> {
  yield { sourcedId: district.sourcedId, name: district.name, type: 'district', identifier: district.identifier };
  for (const school of district.schools)
    yield { sourcedId: school.sourcedId, name: school.name, type: 'school', identifier: school.identifier, parentSourcedId: district.sourcedId };
}

function* academicSessions(district: District): Generator<Row> {
  const { year, semesters, gradingPeriods } = district.calendar;
  const row = (s: Session): Row => ({
    sourcedId: s.sourcedId,
    title: s.title,
    type: s.type,
    startDate: s.startDate,
    endDate: s.endDate,
    parentSourcedId: s.parent?.sourcedId,
    schoolYear: String(district.calendar.schoolYear),
  });
  yield row(year);
  for (const s of semesters) yield row(s);
  for (const p of gradingPeriods) yield row(p);
}

function* courses(district: District): Generator<Row> {
  for (const school of district.schools) {
    for (const cohort of school.cohorts) {
      for (const subject of subjectsFor(cohort.grade)) {
        yield {
          sourcedId: courseId(school.number, cohort.grade, subject),
          schoolYearSourcedId: district.calendar.year.sourcedId,
          title: `${subject.name}, Grade ${gradeLabel(cohort.grade)}`,
          courseCode: `${subject.code}-${cohort.grade}`,
          grades: [cohort.grade],
          orgSourcedId: school.sourcedId,
          subjects: [subject.name],
        };
      }
    }
  }
}

function* classes(district: District): Generator<Row> {
  for (const school of district.schools) {
    for (const c of school.classes) {
      yield {
        sourcedId: c.sourcedId,
        title: c.title,
        grades: [c.cohort.grade],
        courseSourcedId: c.courseSourcedId,
        classCode: c.classCode,
        classType: 'scheduled',
        location: c.location,
        schoolSourcedId: school.sourcedId,
        termSourcedIds: [district.calendar.semesters[c.semester].sourcedId],
        subjects: [c.subject.name],
        periods: c.periods,
      };
    }
  }
}

/** Per class: its teachers (the first primary), then its students; dates are the class's semester. */
function* enrollments(district: District): Generator<Row> {
  let n = 0;
  for (const { school, cls, members } of classesWithMembers(district)) {
    const term = district.calendar.semesters[cls.semester];
    const shared = { classSourcedId: cls.sourcedId, schoolSourcedId: school.sourcedId, beginDate: term.startDate, endDate: term.endDate };
    for (const [i, t] of cls.teachers.entries())
      yield { sourcedId: `enr-${++n}`, ...shared, userSourcedId: teacherId(t), role: 'teacher', primary: i === 0 ? 'true' : 'false' };
    for (const s of members) yield { sourcedId: `enr-${++n}`, ...shared, userSourcedId: studentId(s), role: 'student', primary: 'false' };
  }
}
