import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { BASE_COLUMNS, type ColumnSpec, csvSpec, FORMATS, type OneRosterVersion, VOCABULARIES } from '../../src/oneroster/csv/spec.js';
import { validatePackage } from '../../src/oneroster/csv/validate-package.js';
import { projectRoot } from '../../src/paths.js';
import { memoryPackage } from '../../src/testing/memory-package.js';
import { generateDistrict } from './generate.js';

interface Table {
  header: string[];
  rows: string[][];
  /** A column's values, in row order. */
  column(name: string): string[];
}

interface Package {
  bytes: Map<string, Buffer>;
  tables: Map<string, Table>;
}

const STUDENTS = 300;
const tmp = mkdtempSync(join(tmpdir(), 'edhub-gen-district-'));
let runs = 0;

async function generate(version: OneRosterVersion, seed = 'test', students = STUDENTS): Promise<Package> {
  const out = join(tmp, `run-${++runs}`);
  await generateDistrict({ students, out, version, seed, mode: 'bulk' });
  const bytes = new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
  const tables = new Map<string, Table>();
  for (const [name, buffer] of bytes) {
    const [header = [], ...rows] = parse(buffer.toString('utf8'), { relax_column_count: true }) as string[][];
    tables.set(name.replace(/\.csv$/, ''), {
      header,
      rows,
      column: (c) => {
        const i = header.indexOf(c);
        assert.ok(i >= 0, `${name} has no column ${c}`);
        return rows.map((r) => r[i] as string);
      },
    });
  }
  return { bytes, tables };
}

const table = (p: Package, name: string) => p.tables.get(name) ?? assert.fail(`${name}.csv was not written`);
const items = (value: string) => (value === '' ? [] : value.split(','));
const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());

/** RFC 4180 with the minimal quoting the binding asks for; re-encoding what was parsed must reproduce the file byte for byte. */
const encode = (records: string[][]) => records.map((r) => `${r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\r\n`).join('');

const FLOAT = /^-?\d+(\.\d+)?$/;
const USER_ID = /^\{[^{}:]+:[^{}]*\}$/;

/** Why a value breaks its column's kind (fact sheet §8.2), or undefined. */
function formatProblem(column: ColumnSpec, value: string): string | undefined {
  const vocabulary = column.vocabulary ? VOCABULARIES.get(column.vocabulary) : undefined;
  const fails = (ok: boolean, what: string) => (ok ? undefined : `${JSON.stringify(value)} is not ${what}`);
  switch (column.kind) {
    case 'date':
      return fails(FORMATS.date.test(value), 'a date');
    case 'datetime':
      return fails(FORMATS.datetime.test(value), 'a date-time');
    case 'year':
      return fails(FORMATS.year.test(value), 'a year');
    case 'boolean':
      return fails(value === 'true' || value === 'false', 'true or false');
    case 'float':
      return fails(FLOAT.test(value), 'a number');
    case 'enum':
      return fails(!!vocabulary?.values.has(value), `in ${column.vocabulary}`);
    case 'enumList':
      return fails(
        items(value).every((v) => vocabulary?.values.has(v)),
        `a list of ${column.vocabulary}`,
      );
    case 'list':
      return fails(
        items(value).every((v) => v !== ''),
        'a list without empty items',
      );
    case 'ref':
      return fails(FORMATS.guid.test(value), 'a sourcedId');
    case 'refList':
      return fails(
        items(value).every((v) => FORMATS.guid.test(v)),
        'a list of sourcedIds',
      );
    case 'userIds':
      return fails(
        items(value).every((v) => USER_ID.test(v)),
        'a list of {type:identifier}',
      );
    case 'string':
    case 'scoreScaleValue':
      return undefined;
    default: {
      const unhandled: never = column.kind;
      return `unknown kind ${unhandled}`;
    }
  }
}

after(() => rmSync(tmp, { recursive: true, force: true }));

const WRITTEN: Record<OneRosterVersion, string[]> = {
  '1.2': [
    'academicSessions',
    'categories',
    'classes',
    'courses',
    'demographics',
    'enrollments',
    'lineItems',
    'orgs',
    'results',
    'roles',
    'userProfiles',
    'users',
  ],
  '1.1': ['academicSessions', 'categories', 'classes', 'courses', 'demographics', 'enrollments', 'lineItems', 'orgs', 'results', 'users'],
};

for (const version of ['1.2', '1.1'] as const) {
  describe(`synthetic district generator, OneRoster ${version} (${STUDENTS} students)`, () => {
    const spec = csvSpec(version);
    let pkg: Package;
    before(async () => {
      pkg = await generate(version);
    });

    it('lists every file of the version in the manifest in table order, bulk when written and absent otherwise (§8.3)', () => {
      assert.deepEqual(parse(pkg.bytes.get('manifest.csv') as Buffer), [
        ['propertyName', 'value'],
        ['manifest.version', '1.0'],
        ['oneroster.version', version],
        ...spec.files.map((f) => [`file.${f.name}`, WRITTEN[version].includes(f.name) ? 'bulk' : 'absent']),
        ['source.systemName', 'EdHub generator'],
        ['source.systemCode', 'edhub-gen'],
      ]);
      assert.deepEqual([...pkg.bytes.keys()].sort(), ['manifest.csv', ...WRITTEN[version].map((n) => `${n}.csv`)].sort());
    });

    it('writes UTF-8 without a BOM, CRLF line ends and RFC 4180 quoting only where a field needs it (§8.1)', () => {
      for (const [name, buffer] of pkg.bytes) {
        const text = buffer.toString('utf8');
        assert.ok(Buffer.from(text, 'utf8').equals(buffer), `${name} is not valid UTF-8`);
        assert.notEqual(text.charCodeAt(0), 0xfeff, `${name} starts with a BOM`);
        assert.ok(text.endsWith('\r\n') && !/(?<!\r)\n/.test(text), `${name} has a line not ended by CRLF`);
        assert.equal(encode(parse(text, { relax_column_count: true })), text, `${name} quotes differently from RFC 4180's minimum`);
      }
      const users = pkg.bytes.get('users.csv')?.toString('utf8') ?? '';
      for (const letter of ['é', 'ñ', 'ø']) assert.ok(users.includes(letter), `no user name has ${letter}`);
      assert.match(users, /,"\{LDAP:[^}]+\},\{SIS:[^}]+\}",/);
    });

    it('starts every file with the base columns, then the table columns in table order (§8.6)', () => {
      for (const name of WRITTEN[version]) {
        const file = spec.file(name) ?? assert.fail(name);
        assert.deepEqual(table(pkg, name).header, [...BASE_COLUMNS, ...file.columns.map((c) => c.name)], name);
      }
    });

    it("gives every row the header's width, fills required columns and leaves status and dateLastModified blank in bulk (§8.5, §8.7)", () => {
      for (const name of WRITTEN[version]) {
        const t = table(pkg, name);
        const required = (spec.file(name)?.columns ?? []).filter((c) => c.required).map((c) => c.name);
        assert.ok(t.rows.length > 0, `${name} has no rows`);
        for (const [i, row] of t.rows.entries()) assert.equal(row.length, t.header.length, `${name} row ${i + 2}`);
        for (const c of ['sourcedId', ...required]) assert.equal(t.column(c).indexOf(''), -1, `${name}.${c} is empty in a row`);
        for (const c of ['status', 'dateLastModified']) assert.deepEqual(new Set(t.column(c)), new Set(['']), `${name}.${c}`);
      }
    });

    it('writes every value in the format of its column kind, enums from their vocabulary (§8.2, §8.8)', () => {
      for (const name of WRITTEN[version]) {
        const t = table(pkg, name);
        for (const v of t.column('sourcedId')) assert.match(v, FORMATS.guid, `${name}.sourcedId`);
        for (const c of spec.file(name)?.columns ?? []) {
          for (const v of t.column(c.name)) {
            if (v === '') continue;
            const problem = formatProblem(c, v);
            assert.equal(problem, undefined, `${name}.${c.name}: ${problem}`);
          }
        }
      }
    });

    it('has unique sourcedIds per file, and every reference resolves to a row of its target, school references to schools (§8.1)', () => {
      for (const name of WRITTEN[version]) {
        const ids = table(pkg, name).column('sourcedId');
        assert.equal(new Set(ids).size, ids.length, `${name} repeats a sourcedId`);
      }
      const orgs = table(pkg, 'orgs');
      const orgType = new Map(orgs.column('sourcedId').map((id, i) => [id, orgs.column('type')[i]]));
      for (const name of WRITTEN[version]) {
        for (const c of (spec.file(name)?.columns ?? []).filter((c) => c.target)) {
          const targets = new Set(table(pkg, c.target as string).column('sourcedId'));
          for (const v of table(pkg, name).column(c.name)) {
            for (const id of items(v)) {
              assert.ok(targets.has(id), `${name}.${c.name} ${id} is not in ${c.target}.csv`);
              if (c.targetType) assert.equal(orgType.get(id), c.targetType, `${name}.${c.name} ${id}`);
            }
          }
        }
      }
    });

    it("passes EdHub's own package validator without a diagnostic", async () => {
      const report = await validatePackage(memoryPackage(Object.fromEntries(pkg.bytes)));
      assert.deepEqual(report.diagnostics, []);
      assert.equal(report.valid, true);
    });

    it('builds one district, its school, a school year with two semesters and four grading periods', () => {
      assert.deepEqual(table(pkg, 'orgs').column('type'), ['district', 'school']);
      const sessions = table(pkg, 'academicSessions');
      const type = new Map(sessions.column('sourcedId').map((id, i) => [id, sessions.column('type')[i]]));
      assert.deepEqual(sessions.column('type'), ['schoolYear', 'semester', 'semester', 'gradingPeriod', 'gradingPeriod', 'gradingPeriod', 'gradingPeriod']);
      assert.deepEqual(
        sessions.column('parentSourcedId').map((p) => type.get(p) ?? ''),
        ['', 'schoolYear', 'schoolYear', 'semester', 'semester', 'semester', 'semester'],
      );
      for (const term of table(pkg, 'classes').column('termSourcedIds')) assert.equal(type.get(term), 'semester');
      assert.deepEqual(new Set(table(pkg, 'classes').column('classType')), new Set(['scheduled']));
    });

    it('enrolls each student in about 8 classes of about 25, each class with one primary teacher, each teacher in about 6 classes', () => {
      const students = table(pkg, 'demographics').column('sourcedId');
      assert.equal(students.length, STUDENTS);
      const e = table(pkg, 'enrollments');
      const role = e.column('role');
      const perUser = countBy(e.column('userSourcedId'));
      const perStudent = students.map((s) => perUser.get(s) ?? 0);
      assert.ok(Math.min(...perStudent) >= 7 && Math.max(...perStudent) <= 9, `per student: ${Math.min(...perStudent)}–${Math.max(...perStudent)}`);
      const mean = perStudent.reduce((a, b) => a + b, 0) / STUDENTS;
      assert.ok(mean >= 7.5 && mean <= 8.5, `mean ${mean}`);

      const classes = e.column('classSourcedId');
      const primary = e.column('primary');
      const primaries = countBy(classes.filter((_, i) => role[i] === 'teacher' && primary[i] === 'true'));
      const sizes = countBy(classes.filter((_, i) => role[i] === 'student'));
      for (const c of table(pkg, 'classes').column('sourcedId')) {
        assert.equal(primaries.get(c), 1, `${c} primary teachers`);
        const size = sizes.get(c) ?? 0;
        assert.ok(size >= 10 && size <= 40, `${c} has ${size} students`);
      }
      const perTeacher = [...countBy(e.column('userSourcedId').filter((_, i) => role[i] === 'teacher')).values()];
      const teacherMean = perTeacher.reduce((a, b) => a + b, 0) / perTeacher.length;
      assert.ok(teacherMean >= 5 && teacherMean <= 8, `teacher mean ${teacherMean}`);
      assert.ok(perTeacher.length >= STUDENTS / 25 && perTeacher.length <= STUDENTS / 12, `${perTeacher.length} teachers`);
    });

    it('grades some line items: a few per class, at most two results per student, for students of that class', () => {
      const classes = table(pkg, 'classes').column('sourcedId');
      const perClass = countBy(table(pkg, 'lineItems').column('classSourcedId'));
      for (const c of classes) assert.equal(perClass.get(c), 3, c);
      const results = table(pkg, 'results');
      const perStudent = [...countBy(results.column('studentSourcedId')).values()];
      assert.ok(Math.max(...perStudent) <= 2);
      assert.ok(results.rows.length >= STUDENTS && results.rows.length <= 2 * STUDENTS, `${results.rows.length} results`);
      const e = table(pkg, 'enrollments');
      const enrolled = new Set(e.column('userSourcedId').map((u, i) => `${u} ${e.column('classSourcedId')[i]}`));
      const lineItems = table(pkg, 'lineItems');
      const classOf = new Map(lineItems.column('sourcedId').map((id, i) => [id, lineItems.column('classSourcedId')[i]]));
      for (const [i, li] of results.column('lineItemSourcedId').entries())
        assert.ok(enrolled.has(`${results.column('studentSourcedId')[i]} ${classOf.get(li)}`), `result ${i + 2} is for a student outside the class`);
    });

    it('links guardians and their students through agentSourcedIds, both ways', () => {
      const users = table(pkg, 'users');
      const agents = new Map(users.column('sourcedId').map((id, i) => [id, items(users.column('agentSourcedIds')[i] as string)]));
      const guardians = [...agents.keys()].filter((id) => id.startsWith('grd-'));
      assert.ok(guardians.length > 0);
      for (const g of guardians) for (const s of agents.get(g) ?? []) assert.ok(agents.get(s)?.includes(g), `${s} does not name ${g}`);
      const usernames = users.column('username');
      assert.equal(new Set(usernames).size, usernames.length, 'usernames repeat');
    });

    if (version === '1.2') {
      it('gives every user exactly one primary role, at their primaryOrg; staff have a user profile (§8.8)', () => {
        const users = table(pkg, 'users');
        const roles = table(pkg, 'roles');
        const roleOrg = new Map(roles.column('userSourcedId').map((u, i) => [u, roles.column('orgSourcedId')[i]]));
        assert.equal(roleOrg.size, roles.rows.length, 'a user has two roles');
        assert.deepEqual(new Set(roles.column('roleType')), new Set(['primary']));
        for (const [i, u] of users.column('sourcedId').entries()) assert.equal(roleOrg.get(u), users.column('primaryOrgSourcedId')[i], u);
        const profiles = table(pkg, 'userProfiles');
        assert.ok(profiles.rows.length > 0 && profiles.rows.length < users.rows.length / 5, `${profiles.rows.length} profiles`);
        assert.deepEqual(new Set(roles.column('userProfileSourcedId').filter((p) => p !== '')), new Set(profiles.column('sourcedId')));
      });
    } else {
      it('writes the 1.1 form: users with one role and their orgSourcedIds, line items per grading period (§7.5)', () => {
        const users = table(pkg, 'users');
        assert.deepEqual(new Set(users.column('role')), new Set(['administrator', 'teacher', 'student', 'parent', 'guardian']));
        const students = new Set(users.column('sourcedId').filter((_, i) => users.column('role')[i] === 'student'));
        assert.equal(students.size, STUDENTS);
        const sessions = table(pkg, 'academicSessions');
        const gradingPeriods = new Set(sessions.column('sourcedId').filter((_, i) => sessions.column('type')[i] === 'gradingPeriod'));
        for (const gp of table(pkg, 'lineItems').column('gradingPeriodSourcedId')) assert.ok(gradingPeriods.has(gp), gp);
      });
    }
  });
}

describe('synthetic district generator: larger districts, determinism and CLI', () => {
  it('splits 2,600 students into elementary (K–5), middle (6–8) and high (9–12) schools of about 500, one teacher per about 20 students', async () => {
    const pkg = await generate('1.2', 'test', 2600);
    const orgs = table(pkg, 'orgs');
    const schools = new Map(orgs.column('sourcedId').map((id, i) => [id, orgs.column('name')[i] as string]));
    schools.delete('dist-1');
    assert.equal(schools.size, 5);
    const courses = table(pkg, 'courses');
    const gradesAt = new Map<string, Set<string>>();
    for (const [i, org] of courses.column('orgSourcedId').entries())
      gradesAt.set(org, (gradesAt.get(org) ?? new Set()).add(courses.column('grades')[i] as string));
    const expected: Record<string, string> = {
      'Elementary School': 'KG,01,02,03,04,05',
      'Middle School': '06,07,08',
      'High School': '09,10,11,12',
    };
    const levels = [...schools].map(([id, name]) => {
      const level = Object.keys(expected).find((suffix) => name.endsWith(suffix)) ?? assert.fail(`${name} has no level`);
      assert.deepEqual(gradesAt.get(id), new Set(expected[level]?.split(',')), name);
      return level;
    });
    assert.deepEqual(levels, ['Elementary School', 'Elementary School', 'Middle School', 'High School', 'High School']);
    const teachers = table(pkg, 'roles')
      .column('role')
      .filter((r) => r === 'teacher').length;
    assert.ok(teachers >= 2600 / 25 && teachers <= 2600 / 15, `${teachers} teachers`);
    const report = await validatePackage(memoryPackage(Object.fromEntries(pkg.bytes)));
    assert.deepEqual(report.diagnostics, []);
  });

  it('writes byte-identical packages for the same seed, and different ones for another seed', async () => {
    const [a, b, c] = [await generate('1.2', 'same'), await generate('1.2', 'same'), await generate('1.2', 'other')];
    assert.deepEqual([...a.bytes.keys()], [...b.bytes.keys()]);
    for (const [name, bytes] of a.bytes) assert.ok(bytes.equals(b.bytes.get(name) as Buffer), `${name} differs between runs`);
    for (const name of ['users.csv', 'enrollments.csv', 'demographics.csv'])
      assert.ok(!(a.bytes.get(name) as Buffer).equals(c.bytes.get(name) as Buffer), `${name} ignores the seed`);
  });

  it('runs from the command line, prints a one-line summary, and refuses a non-empty directory', () => {
    const out = join(tmp, 'cli');
    const run = () =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(projectRoot, 'scripts/gen-district/main.ts'), '--students', '40', '--out', out, '--version', '1.1'],
        {
          encoding: 'utf8',
        },
      );
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^\S+: OneRoster 1\.1 bulk, seed 1: academicSessions 7, .*users \d+ in \d+\.\d s\n$/);
    const second = run();
    assert.equal(second.status, 1);
    assert.match(second.stderr, /is not empty/);

    const usage = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts/gen-district/main.ts'), '--students', 'many'], {
      encoding: 'utf8',
    });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--students must be a positive whole number\nusage: /);
  });
});
