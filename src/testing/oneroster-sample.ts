import { csvSpec, type OneRosterVersion } from '../oneroster/csv/spec.js';

/**
 * A small, valid, self-written OneRoster package (one district, one school, a school year with a
 * term, a course, a class, a teacher and two students), as file name → CSV text, for tests to mutate.
 * Rows are written as records keyed by column name, so a test can break exactly one value.
 */
export type Rows = Record<string, string>[];

export function sampleRows(version: OneRosterVersion): Record<string, Rows> {
  const rows: Record<string, Rows> = {
    orgs: [
      { sourcedId: 'district-1', name: 'Springfield USD', type: 'district', identifier: 'NCES-0001' },
      { sourcedId: 'school-1', name: 'Springfield Élémentaire', type: 'school', identifier: 'NCES-0002', parentSourcedId: 'district-1' },
    ],
    academicSessions: [
      { sourcedId: 'sy-2026', title: '2025-2026', type: 'schoolYear', startDate: '2025-08-15', endDate: '2026-06-15', schoolYear: '2026' },
      { sourcedId: 'term-1', title: 'Fall', type: 'term', startDate: '2025-08-15', endDate: '2026-01-10', parentSourcedId: 'sy-2026', schoolYear: '2026' },
    ],
    courses: [
      {
        sourcedId: 'course-math',
        schoolYearSourcedId: 'sy-2026',
        title: 'Math 5',
        courseCode: 'M5',
        grades: '05',
        orgSourcedId: 'school-1',
        subjects: 'Mathematics',
      },
    ],
    classes: [
      {
        sourcedId: 'class-math-a',
        title: 'Math 5 — A',
        grades: '05',
        courseSourcedId: 'course-math',
        classCode: 'M5A',
        classType: 'scheduled',
        schoolSourcedId: 'school-1',
        termSourcedIds: 'term-1',
        periods: '1,2',
      },
    ],
    enrollments: [
      { sourcedId: 'enr-t1', classSourcedId: 'class-math-a', schoolSourcedId: 'school-1', userSourcedId: 'teacher-1', role: 'teacher', primary: 'true' },
      { sourcedId: 'enr-s1', classSourcedId: 'class-math-a', schoolSourcedId: 'school-1', userSourcedId: 'student-1', role: 'student', primary: 'false' },
      {
        sourcedId: 'enr-s2',
        classSourcedId: 'class-math-a',
        schoolSourcedId: 'school-1',
        userSourcedId: 'student-2',
        role: 'student',
        primary: 'false',
        beginDate: '2025-08-15',
      },
    ],
    demographics: [{ sourcedId: 'student-1', birthDate: '2015-03-02', sex: 'female', hispanicOrLatinoEthnicity: 'true', cityOfBirth: 'Zürich' }],
  };
  const people: (Record<string, string> & { sourcedId: string; role: string })[] = [
    { sourcedId: 'teacher-1', enabledUser: 'true', username: 'edna.k', givenName: 'Edna', familyName: 'Krabappel', email: 'edna@example.org', role: 'teacher' },
    {
      sourcedId: 'student-1',
      enabledUser: 'true',
      username: 'lisa.s',
      givenName: 'Lisa',
      familyName: 'Simpson',
      userIds: '{LDAP:ls001},{SIS:1001}',
      role: 'student',
      grades: '05',
    },
    {
      sourcedId: 'student-2',
      enabledUser: 'true',
      username: 'bart.s',
      givenName: 'Bart',
      familyName: 'Simpson',
      role: 'student',
      agentSourcedIds: 'student-1',
    },
  ];
  if (version === '1.2') {
    rows.users = people.map(({ role: _role, ...u }) => ({ ...u, primaryOrgSourcedId: 'school-1' }));
    rows.roles = people.map((u, i) => ({
      sourcedId: `role-${i + 1}`,
      userSourcedId: u.sourcedId,
      roleType: 'primary',
      role: u.role,
      orgSourcedId: 'school-1',
    }));
  } else {
    rows.users = people.map((u) => ({ ...u, orgSourcedIds: 'school-1' }));
  }
  return rows;
}

/**
 * A 1.2 gradebook for the sample class: a Homework category, one line item ("Fractions", term-1) and a
 * result for each student (9, fully graded; a submitted one without a score). Tests change single
 * values on the copy they get.
 */
export function sampleGradebookRows(): { categories: Rows; lineItems: Rows; results: Rows } {
  return {
    categories: [{ sourcedId: 'cat-hw', title: 'Homework', weight: '0.4' }],
    lineItems: [
      {
        sourcedId: 'li-1',
        title: 'Fractions',
        assignDate: '2025-09-01',
        dueDate: '2025-09-08',
        classSourcedId: 'class-math-a',
        categorySourcedId: 'cat-hw',
        academicSessionSourcedId: 'term-1',
        schoolSourcedId: 'school-1',
      },
    ],
    results: [
      { sourcedId: 'res-1', lineItemSourcedId: 'li-1', studentSourcedId: 'student-1', scoreStatus: 'fully graded', score: '9', scoreDate: '2025-09-09' },
      { sourcedId: 'res-2', lineItemSourcedId: 'li-1', studentSourcedId: 'student-2', scoreStatus: 'submitted', scoreDate: '2025-09-09' },
    ],
  };
}

/** CSV text of a file from keyed rows, in the spec's column order; `extra` appends columns (metadata.*). */
export function toCsv(version: OneRosterVersion, file: string, rows: Rows, options: { eol?: string; extra?: string[] } = {}): string {
  const spec = csvSpec(version).file(file);
  if (!spec) throw new Error(`${file} is not a OneRoster ${version} file`);
  const header = [...spec.header, ...(options.extra ?? [])];
  const eol = options.eol ?? '\r\n';
  const cell = (v: string | undefined) => (v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join(eol) + eol;
}

/** A whole package: manifest (every file of the version, bulk unless told) plus the CSV files. */
export function samplePackage(version: OneRosterVersion, rows = sampleRows(version), mode: 'bulk' | 'delta' = 'bulk'): Record<string, string> {
  const files: Record<string, string> = {};
  const manifest = ['propertyName,value', 'manifest.version,1.0', `oneroster.version,${version}`];
  for (const f of csvSpec(version).files) {
    const present = rows[f.name] !== undefined;
    manifest.push(`file.${f.name},${present ? mode : 'absent'}`);
    if (present) files[`${f.name}.csv`] = toCsv(version, f.name, rows[f.name] as Rows);
  }
  manifest.push('source.systemName,EdHub tests');
  files['manifest.csv'] = `${manifest.join('\r\n')}\r\n`;
  return files;
}
