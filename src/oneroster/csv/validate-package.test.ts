import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { memoryPackage } from '../../testing/memory-package.js';
import { type Rows, samplePackage, sampleRows, toCsv } from '../../testing/oneroster-sample.js';
import type { Diagnostic } from './diagnostics.js';
import { type ValidateOptions, validatePackage } from './validate-package.js';

const validate = (files: Parameters<typeof memoryPackage>[0], options?: ValidateOptions) => validatePackage(memoryPackage(files), options);
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.file}:${d.line ?? '-'}:${d.column ?? '-'} ${d.code}`);

/** The sample package with one row of one file changed. */
function withRow(file: string, index: number, change: Record<string, string | undefined>, version: '1.1' | '1.2' = '1.2') {
  const rows = sampleRows(version);
  const list = rows[file] as Rows;
  list[index] = Object.fromEntries(Object.entries({ ...list[index], ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return samplePackage(version, rows);
}

describe('OneRoster CSV validator', () => {
  describe('valid packages', () => {
    for (const version of ['1.1', '1.2'] as const) {
      it(`accepts a complete ${version} bulk package and counts its rows`, async () => {
        const r = await validate(samplePackage(version));
        assert.deepEqual(r.diagnostics, []);
        assert.equal(r.valid, true);
        assert.equal(r.version, version);
        assert.deepEqual(
          r.files.filter((f) => f.rows > 0).map((f) => [f.name, f.rows]),
          version === '1.2'
            ? [
                ['academicSessions', 2],
                ['classes', 1],
                ['courses', 1],
                ['demographics', 1],
                ['enrollments', 3],
                ['orgs', 2],
                ['roles', 3],
                ['users', 3],
              ]
            : [
                ['academicSessions', 2],
                ['classes', 1],
                ['courses', 1],
                ['demographics', 1],
                ['enrollments', 3],
                ['orgs', 2],
                ['users', 3],
              ],
        );
      });
    }

    it('tolerates a UTF-8 BOM, LF line endings and metadata.* extension columns', async () => {
      const files = samplePackage('1.2');
      const rows = sampleRows('1.2');
      files['users.csv'] = `\uFEFF${toCsv(
        '1.2',
        'users',
        (rows.users as Rows).map((u) => ({ ...u, 'metadata.edhub.house': 'blue' })),
        { eol: '\n', extra: ['metadata.edhub.house'] },
      )}`;
      const r = await validate(files);
      assert.deepEqual(r.diagnostics, []);
    });

    it('accepts a delta package whose rows carry status and a UTC dateLastModified, including deletions', async () => {
      const rows = sampleRows('1.2');
      const stamp = { status: 'active', dateLastModified: '2026-01-02T03:04:05.678Z' };
      for (const list of Object.values(rows)) for (const row of list) Object.assign(row, stamp);
      (rows.enrollments as Rows).push({ sourcedId: 'enr-gone', status: 'tobedeleted', dateLastModified: '2026-01-02T03:04:05.678Z' });
      const r = await validate(samplePackage('1.2', rows, 'delta'));
      assert.deepEqual(r.diagnostics, []);
    });

    it('resolves a forward reference within a file (an org whose parent comes later)', async () => {
      const rows = sampleRows('1.2');
      (rows.orgs as Rows).reverse();
      const r = await validate(samplePackage('1.2', rows));
      assert.deepEqual(r.diagnostics, []);
    });
  });

  describe('manifest and package structure (§8.3)', () => {
    it('requires manifest.csv', async () => {
      const files = samplePackage('1.2');
      delete files['manifest.csv'];
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics), ['manifest.csv:-:- package.manifest-missing']);
      assert.equal(r.valid, false);
    });

    it('checks the manifest header, versions, file rows and modes', async () => {
      const files = samplePackage('1.2');
      files['manifest.csv'] = (files['manifest.csv'] as string)
        .replace('propertyName,value', 'property,value')
        .replace('manifest.version,1.0', 'manifest.version,2.0')
        .replace('file.roles,bulk', 'file.roles,sometimes')
        .replace('file.userResources,absent\r\n', '')
        .concat('file.teachers,bulk\r\n');
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics), [
        'manifest.csv:1:- manifest.header',
        'manifest.csv:2:- manifest.version',
        'manifest.csv:20:- manifest.mode',
        'manifest.csv:-:- manifest.file-row-missing',
        'manifest.csv:25:- manifest.unknown-row',
        'roles.csv:-:- package.file-not-declared',
      ]);
    });

    it('refuses an unknown OneRoster version', async () => {
      const files = samplePackage('1.2');
      files['manifest.csv'] = (files['manifest.csv'] as string).replace('oneroster.version,1.2', 'oneroster.version,1.0');
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics), ['manifest.csv:3:- manifest.oneroster-version']);
    });

    it('requires every declared file, and refuses undeclared and unknown ones', async () => {
      const files = samplePackage('1.2');
      delete files['courses.csv'];
      files['teachers.csv'] = 'sourcedId\r\nx\r\n';
      files['nested/users.csv'] = 'sourcedId\r\nx\r\n';
      files['readme.txt'] = 'hello';
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics).sort(), [
        'classes.csv:-:- ref.unverified',
        'courses.csv:-:- package.file-missing',
        'nested/users.csv:-:- package.unknown-file',
        'readme.txt:-:- package.ignored-entry',
        'teachers.csv:-:- package.unknown-file',
      ]);
    });
  });

  describe('headers and rows (§8.1, §8.6)', () => {
    it('requires the exact header order and names the first wrong column', async () => {
      const files = samplePackage('1.2');
      files['orgs.csv'] = (files['orgs.csv'] as string).replace('name,type', 'type,name');
      const r = await validate(files);
      const d = r.diagnostics.find((x) => x.file === 'orgs.csv');
      assert.equal(d?.code, 'header.mismatch');
      assert.match(d?.message ?? '', /column 4 must be name, not type/);
      // References into the rejected file are not reported again and again.
      assert.equal(r.diagnostics.filter((x) => x.code === 'ref.missing').length, 0);
    });

    it('refuses duplicate headers and unknown non-metadata columns', async () => {
      const files = samplePackage('1.2');
      files['courses.csv'] = (files['courses.csv'] as string).replace('subjectCodes\r\n', 'subjectCodes,title\r\n');
      files['classes.csv'] = (files['classes.csv'] as string).replace('periods\r\n', 'periods,teacher\r\n');
      const r = await validate(files);
      const byFile = Object.fromEntries(r.diagnostics.filter((d) => d.line === 1).map((d) => [d.file, d.code]));
      assert.deepEqual(byFile, { 'courses.csv': 'header.duplicate', 'classes.csv': 'header.mismatch' });
    });

    it('reports a row of the wrong width with its line', async () => {
      const files = samplePackage('1.2');
      files['enrollments.csv'] = `${files['enrollments.csv']}enr-x,,,class-math-a\r\n`;
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics), ['enrollments.csv:5:- row.width']);
    });

    it('refuses a file with a header and no rows, and an empty file', async () => {
      const files = samplePackage('1.2');
      files['courses.csv'] = (files['courses.csv'] as string).split('\r\n')[0] as string;
      files['demographics.csv'] = '';
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics.filter((d) => d.code === 'file.empty')).sort(), ['courses.csv:1:- file.empty', 'demographics.csv:1:- file.empty']);
    });
  });

  describe('values (§8.2, §8.5, §8.7)', () => {
    const cases: [string, string, number, Record<string, string | undefined>, string][] = [
      ['a missing required value', 'users', 0, { givenName: '' }, 'users.csv:2:givenName value.required'],
      ['a malformed date', 'academicSessions', 0, { startDate: '2025-02-30' }, 'academicSessions.csv:2:startDate value.format'],
      ['a two-digit year', 'academicSessions', 0, { schoolYear: '26' }, 'academicSessions.csv:2:schoolYear value.format'],
      ['a boolean that is not true/false', 'users', 1, { enabledUser: 'TRUE' }, 'users.csv:3:enabledUser value.format'],
      ['a value outside its vocabulary', 'classes', 0, { classType: 'lecture' }, 'classes.csv:2:classType value.enum'],
      ['an empty item in a list', 'classes', 0, { periods: '1,,2' }, 'classes.csv:2:periods value.list'],
      ['a malformed userIds item', 'users', 1, { userIds: 'LDAP:ls001' }, 'users.csv:3:userIds value.format'],
      ['a sourcedId with a space', 'courses', 0, { sourcedId: 'course math' }, 'courses.csv:2:sourcedId value.format'],
      ['status in a bulk file', 'orgs', 0, { status: 'active' }, 'orgs.csv:2:status value.forbidden-in-bulk'],
      ['a line break inside a field', 'orgs', 1, { name: 'Two\nLines' }, 'orgs.csv:3:name value.format'],
    ];
    for (const [what, file, index, change, expected] of cases) {
      it(`reports ${what}`, async () => {
        const r = await validate(withRow(file, index, change));
        assert.deepEqual(
          codes(r.diagnostics).filter((c) => !c.includes('ref.')),
          [expected],
        );
      });
    }

    it('accepts ext: tokens where a vocabulary is extensible, and not where it is closed', async () => {
      assert.deepEqual((await validate(withRow('classes', 0, { classType: 'ext:lab' }))).diagnostics, []);
      const closed = await validate(withRow('roles', 0, { roleType: 'ext:main' }));
      assert.deepEqual(codes(closed.diagnostics), ['roles.csv:2:roleType value.enum']);
    });

    it('requires status and a UTC millisecond dateLastModified in a delta file, and reads 1.0 inactive as a warning', async () => {
      const rows = sampleRows('1.2');
      for (const list of Object.values(rows)) for (const row of list) Object.assign(row, { status: 'active', dateLastModified: '2026-01-02T03:04:05.678Z' });
      Object.assign((rows.orgs as Rows)[0] as object, { status: '' });
      Object.assign((rows.orgs as Rows)[1] as object, { dateLastModified: '2026-01-02T03:04:05Z' });
      Object.assign((rows.users as Rows)[2] as object, { status: 'inactive' });
      const r = await validate(samplePackage('1.2', rows, 'delta'));
      assert.deepEqual(codes(r.diagnostics), [
        'orgs.csv:2:status value.required',
        'orgs.csv:3:dateLastModified value.format',
        'users.csv:4:status value.inactive-status',
      ]);
      assert.equal(r.errors, 2);
      assert.equal(r.warnings, 1);
    });

    it('refuses a duplicate sourcedId within a file (sourcedIds are case-sensitive)', async () => {
      const rows = sampleRows('1.2');
      (rows.courses as Rows).push({ ...(rows.courses as Rows)[0], title: 'again' } as Record<string, string>);
      (rows.courses as Rows).push({ ...(rows.courses as Rows)[0], sourcedId: 'COURSE-MATH' } as Record<string, string>);
      const r = await validate(samplePackage('1.2', rows));
      assert.deepEqual(codes(r.diagnostics), ['courses.csv:3:sourcedId unique.duplicate']);
    });
  });

  describe('references (§8.1) and rules (§8.8)', () => {
    it('reports a reference to a record missing from a bulk file', async () => {
      const r = await validate(withRow('enrollments', 1, { userSourcedId: 'student-99' }));
      assert.deepEqual(codes(r.diagnostics), ['enrollments.csv:3:userSourcedId ref.missing']);
      assert.match(r.diagnostics[0]?.message ?? '', /"student-99" names no users record \(not in users\.csv, a bulk file\)/);
    });

    it('requires schoolSourcedId to name an org of type school', async () => {
      const r = await validate(withRow('classes', 0, { schoolSourcedId: 'district-1' }));
      assert.deepEqual(codes(r.diagnostics), ['classes.csv:2:schoolSourcedId ref.wrong-type']);
    });

    it('checks each item of a reference list', async () => {
      const r = await validate(withRow('classes', 0, { termSourcedIds: 'term-1,term-9' }));
      assert.deepEqual(codes(r.diagnostics), ['classes.csv:2:termSourcedIds ref.missing']);
    });

    it('reports references into absent files as unverified, and checks them against stored data when given a lookup', async () => {
      const rows = sampleRows('1.2');
      delete rows.orgs;
      const files = samplePackage('1.2', rows);
      const alone = await validate(files);
      assert.equal(alone.valid, true);
      assert.equal(alone.diagnostics.length, 1);
      assert.equal(alone.diagnostics[0]?.code, 'ref.unverified');
      assert.equal(alone.diagnostics[0]?.severity, 'warning');
      assert.match(alone.diagnostics[0]?.message ?? '', /^2 reference\(s\) to orgs name records that are not in this package \(for example "school-1"\)/);
      const stored = new Map([['school-1', 'district']]);
      const r = await validate(files, {
        lookup: async (_file, ids) => new Map(ids.filter((id) => stored.has(id)).map((id) => [id, stored.get(id) as string])),
      });
      assert.equal(r.valid, false);
      // school-1 is stored as a district: every reference that needs a school says so, once per id and constraint.
      assert.deepEqual(codes(r.diagnostics), ['classes.csv:2:schoolSourcedId ref.wrong-type']);
    });

    it('allows one primary role per user and org', async () => {
      const rows = sampleRows('1.2');
      (rows.roles as Rows).push({ sourcedId: 'role-9', userSourcedId: 'student-1', roleType: 'primary', role: 'aide', orgSourcedId: 'school-1' });
      const r = await validate(samplePackage('1.2', rows));
      assert.deepEqual(codes(r.diagnostics), ['roles.csv:5:roleType rule.primary-role']);
    });
    it('requires a role at the primary org of each user (§8.8)', async () => {
      const r = await validate(withRow('users', 0, { primaryOrgSourcedId: 'district-1' }));
      assert.deepEqual(codes(r.diagnostics), ['users.csv:2:primaryOrgSourcedId rule.primary-org']);
      assert.match(r.diagnostics[0]?.message ?? '', /no role at that org in roles\.csv/);
    });

    it('leaves the primary-org rule to stored roles when roles.csv is a delta', async () => {
      const rows = sampleRows('1.2');
      for (const list of Object.values(rows)) for (const row of list) Object.assign(row, { status: 'active', dateLastModified: '2026-11-01T00:00:00.000Z' });
      (rows.users as Rows)[0] = { ...(rows.users as Rows)[0], primaryOrgSourcedId: 'district-1' } as Record<string, string>;
      const r = await validate(samplePackage('1.2', rows, 'delta'));
      assert.deepEqual(
        codes(r.diagnostics).filter((c) => c.includes('rule.')),
        [],
      );
    });
  });

  describe('hostile input', () => {
    it('reports invalid UTF-8 with its line and stops reading that file', async () => {
      const files: Record<string, string | Buffer> = samplePackage('1.2');
      const text = files['orgs.csv'] as string;
      files['orgs.csv'] = Buffer.concat([Buffer.from(text.slice(0, text.lastIndexOf('school-1')), 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('x\r\n')]);
      const r = await validate(files);
      const d = r.diagnostics.find((x) => x.file === 'orgs.csv');
      assert.equal(d?.code, 'csv.encoding');
      assert.equal(d?.line, 3);
    });

    it('accepts a multi-byte character split across chunks, and refuses one cut off at the end of the file', async () => {
      const files: Record<string, string | Buffer | (() => Readable)> = samplePackage('1.2');
      const bytes = Buffer.from(files['orgs.csv'] as string, 'utf8');
      const split = bytes.indexOf(Buffer.from('É', 'utf8')) + 1; // between the two bytes of É
      files['orgs.csv'] = () => Readable.from([bytes.subarray(0, split), bytes.subarray(split)]);
      assert.deepEqual((await validate(files)).diagnostics, []);
      const cut = Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from([0xe2, 0x82])]);
      files['orgs.csv'] = () => Readable.from([cut]);
      const r = await validate(files);
      assert.equal(r.diagnostics.find((d) => d.file === 'orgs.csv')?.code, 'csv.encoding');
    });

    it('reports broken quoting as a syntax error', async () => {
      const files = samplePackage('1.2');
      files['courses.csv'] = `${files['courses.csv']}c2,,,sy-2026,"Unclosed,C2,,school-1,,\r\n`;
      const r = await validate(files);
      assert.equal(r.diagnostics.find((x) => x.file === 'courses.csv')?.code, 'csv.syntax');
    });

    it('stops a 2 GB single line after the record limit without reading it all', async () => {
      const files: Record<string, string | (() => Readable)> = samplePackage('1.2');
      let produced = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const header = (files['courses.csv'] as string).split('\r\n')[0];
      files['courses.csv'] = () =>
        new Readable({
          read() {
            if (produced === 0) this.push(`${header}\r\nc1,,,,`);
            produced += chunk.length;
            this.push(produced > 2 * 1024 ** 3 ? null : chunk);
          },
        });
      const started = Date.now();
      const r = await validate(files);
      assert.equal(r.diagnostics.find((x) => x.file === 'courses.csv')?.code, 'csv.record-too-large');
      assert.ok(produced < 64 * 1024 * 1024, `read ${produced} bytes`);
      assert.ok(Date.now() - started < 10_000);
    });

    it('finds the one bad row at the end of a million-row file, with its line', async function () {
      this.timeout(120_000);
      const files: Record<string, string | (() => Readable)> = samplePackage('1.2');
      const header = (files['enrollments.csv'] as string).split('\r\n')[0];
      const rows = 1_000_000;
      files['enrollments.csv'] = () =>
        Readable.from(
          (function* () {
            yield `${header}\r\n`;
            let batch = '';
            for (let i = 1; i <= rows; i++) {
              const user = i === rows ? 'nobody' : 'student-1';
              batch += `e${i},,,class-math-a,school-1,${user},student,false,,\r\n`;
              if (i % 10_000 === 0 || i === rows) {
                yield batch;
                batch = '';
              }
            }
          })(),
        );
      const r = await validate(files);
      assert.deepEqual(codes(r.diagnostics), [`enrollments.csv:${rows + 1}:userSourcedId ref.missing`]);
      assert.equal(r.files.find((f) => f.name === 'enrollments')?.rows, rows);
    });

    it('keeps counting past the diagnostics limit, listing only the first ones', async () => {
      const rows = sampleRows('1.2');
      for (let i = 0; i < 500; i++) (rows.orgs as Rows).push({ sourcedId: `bad-${i}`, name: '', type: 'school' });
      const r = await validate(samplePackage('1.2', rows), { maxDiagnostics: 20 });
      assert.equal(r.errors, 500);
      assert.equal(r.diagnostics.length, 20);
      assert.equal(r.suppressed, 480);
    });
  });
});
