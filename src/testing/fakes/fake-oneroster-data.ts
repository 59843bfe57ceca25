/**
 * Small, self-consistent OneRoster REST objects (1.2 shapes, string booleans, UTC `Z` times: fact
 * sheet §7, §10.7–10.8) for loading into the fake provider.
 */
export type Row = Record<string, unknown>;

const STAMP = '2026-01-05T10:00:00.000Z';
const ref = (type: string, sourcedId: string) => ({ href: `/${type}s/${sourcedId}`, sourcedId, type });

/** `count` users named u0001…; every tenth a teacher, the rest students, all in school sch1. */
export function sampleUsers(count: number, dateLastModified = STAMP): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const role = i % 10 === 9 ? 'teacher' : 'student';
    return {
      sourcedId: `u${n}`,
      status: 'active',
      dateLastModified,
      enabledUser: 'true',
      username: `user${n}`,
      givenName: `Given${n}`,
      familyName: `Family${n}`,
      role,
      roles: [{ roleType: 'primary', role, org: ref('org', 'sch1') }],
      orgs: [ref('org', 'sch1')],
      identifier: n,
    };
  });
}

export function sampleOrgs(): Row[] {
  return [
    { sourcedId: 'dist1', status: 'active', dateLastModified: STAMP, name: 'District One', type: 'district', children: [ref('org', 'sch1')] },
    { sourcedId: 'sch1', status: 'active', dateLastModified: STAMP, name: 'School One', type: 'school', parent: ref('org', 'dist1') },
  ];
}

export function sampleClasses(): Row[] {
  const cls = (sourcedId: string, title: string) => ({
    sourcedId,
    status: 'active',
    dateLastModified: STAMP,
    title,
    classType: 'scheduled',
    course: ref('course', 'crs1'),
    school: ref('org', 'sch1'),
    terms: [ref('academicSession', 'term1')],
  });
  return [cls('cls1', 'Algebra "Honors" 1'), cls('cls2', 'Biology')];
}

/** Enrolls the given users in a class with the role each user has. */
export function sampleEnrollments(classId: string, users: Row[]): Row[] {
  return users.map((u) => ({
    sourcedId: `enr-${classId}-${String(u.sourcedId)}`,
    status: 'active',
    dateLastModified: STAMP,
    role: u.role,
    primary: 'false',
    user: ref('user', String(u.sourcedId)),
    class: ref('class', classId),
    school: ref('org', 'sch1'),
  }));
}

/** The school year and the term the sample classes are taught in (term1 belongs to sy1). */
export function sampleAcademicSessions(): Row[] {
  return [
    {
      sourcedId: 'sy1',
      status: 'active',
      dateLastModified: STAMP,
      title: '2025-2026',
      type: 'schoolYear',
      startDate: '2025-08-15',
      endDate: '2026-06-15',
      schoolYear: '2026',
    },
    {
      sourcedId: 'term1',
      status: 'active',
      dateLastModified: STAMP,
      title: 'Fall',
      type: 'term',
      startDate: '2025-08-15',
      endDate: '2026-01-10',
      schoolYear: '2026',
      parent: ref('academicSession', 'sy1'),
    },
  ];
}

/** The course of the sample classes (crs1, at sch1). */
export function sampleCourses(): Row[] {
  return [
    {
      sourcedId: 'crs1',
      status: 'active',
      dateLastModified: STAMP,
      title: 'Science',
      courseCode: 'SCI',
      org: ref('org', 'sch1'),
      schoolYear: ref('academicSession', 'sy1'),
    },
  ];
}
