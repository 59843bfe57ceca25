import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { openZipBuffer } from '../../../packaging/open-zip.js';
import type { TenantId } from '../../../tenancy/ids.js';
import { createTenant } from '../../../tenancy/tenants.js';
import { collect } from '../../../testing/collect.js';
import { memoryPackage } from '../../../testing/memory-package.js';
import { type Rows, samplePackage, sampleRows } from '../../../testing/oneroster-sample.js';
import { cliContext } from '../../../testing/test-app.js';
import { freshDatabase, type TestDatabase } from '../../../testing/test-database.js';
import { importPackage } from '../import/import-package.js';
import { validatePackage } from '../validate-package.js';
import { exportPackage } from './export-package.js';

describe('OneRoster CSV export', () => {
  let database: TestDatabase;
  let source: TenantId;
  let copy: TenantId;
  let clock: Date;

  beforeEach(async () => {
    database = await freshDatabase();
    source = (await createTenant(database.db, cliContext, 'Source')).id as TenantId;
    copy = (await createTenant(database.db, cliContext, 'Copy')).id as TenantId;
    clock = new Date('2026-03-01T00:00:00.000Z');
  });
  afterEach(() => database.close());

  const load = (tenantId: TenantId, files: Record<string, string>) =>
    importPackage(database.db, memoryPackage(files), { tenantId, sourceName: 'x', ctx: cliContext, now: () => clock, copyIn: database.copyIn });
  const snapshot = async (tenantId: TenantId) =>
    (
      await database.db
        .selectFrom('roster_records')
        .select(['file', 'sourced_id', 'status', 'fields', 'metadata'])
        .where('tenant_id', '=', tenantId)
        .orderBy('file')
        .orderBy('sourced_id')
        .execute()
    ).map((r) => ({ ...r }));
  const exportZip = async (tenantId: TenantId, version: '1.1' | '1.2', since?: Date) => {
    const result = await exportPackage(database.db, tenantId, { version, since, ctx: cliContext });
    return { ...result, pkg: await openZipBuffer(await collect(result.zip)) };
  };

  for (const version of ['1.1', '1.2'] as const) {
    it(`writes a ${version} bulk package that passes the validator and imports back to the same records`, async () => {
      const rows = sampleRows(version);
      rows.categories = [{ sourcedId: 'cat-hw', title: 'Homework' }];
      rows.lineItems = [
        {
          sourcedId: 'li-1',
          title: 'Fractions, part 1',
          assignDate: '2025-09-01',
          dueDate: '2025-09-08',
          classSourcedId: 'class-math-a',
          categorySourcedId: 'cat-hw',
          [version === '1.1' ? 'gradingPeriodSourcedId' : 'academicSessionSourcedId']: 'term-1',
          resultValueMin: '0',
          resultValueMax: '10',
          ...(version === '1.2' ? { schoolSourcedId: 'school-1' } : {}),
        },
      ];
      const imported = await load(source, samplePackage(version, rows));
      assert.equal(imported.status, 'succeeded', JSON.stringify(imported.report.diagnostics));

      const { pkg, files } = await exportZip(source, version);
      assert.equal(files.users, version === '1.2' ? 3 : 3);
      const report = await validatePackage(pkg);
      assert.deepEqual(report.diagnostics, []);
      assert.equal(report.manifest?.modes.get('results'), 'absent');
      assert.equal(pkg.has('results.csv'), false);

      const again = await load(
        copy,
        Object.fromEntries(await Promise.all(pkg.entries().map(async (e) => [e.name, (await collect(await pkg.open(e.name))).toString('utf8')]))),
      );
      assert.equal(again.status, 'succeeded', JSON.stringify(again.report.diagnostics));
      assert.deepEqual(await snapshot(copy), await snapshot(source));
    });
  }

  it('neutralises formula cells in free text, reversibly, and keeps metadata columns', async () => {
    const files = samplePackage('1.2');
    const rows = sampleRows('1.2');
    (rows.users as Rows)[0] = {
      ...(rows.users as Rows)[0],
      givenName: '=HYPERLINK("http://x","y")',
      middleName: "''=already",
      'metadata.edhub.house': '@blue',
    } as Record<string, string>;
    const { toCsv } = await import('../../../testing/oneroster-sample.js');
    files['users.csv'] = toCsv('1.2', 'users', rows.users as Rows, { extra: ['metadata.edhub.house'] });
    assert.equal((await load(source, files)).status, 'succeeded');
    // Incoming cells are read with the same rule: one escaping apostrophe is removed.
    const stored = await database.db
      .selectFrom('roster_records')
      .select('fields')
      .where('tenant_id', '=', source)
      .where('sourced_id', '=', 'teacher-1')
      .where('file', '=', 'users')
      .executeTakeFirstOrThrow();
    assert.equal(stored.fields.middleName, "'=already");

    const { pkg } = await exportZip(source, '1.2');
    const text = (await collect(await pkg.open('users.csv'))).toString('utf8');
    const [header, ...records] = parse(text) as string[][];
    const teacher = records.find((r) => r[0] === 'teacher-1') as string[];
    const cell = (name: string) => teacher[(header as string[]).indexOf(name)];
    assert.equal(cell('givenName'), '\'=HYPERLINK("http://x","y")');
    assert.equal(cell('middleName'), "''=already");
    assert.equal(cell('metadata.edhub.house'), "'@blue");
    assert.equal(cell('sourcedId'), 'teacher-1');

    await load(copy, Object.fromEntries(await Promise.all(pkg.entries().map(async (e) => [e.name, (await collect(await pkg.open(e.name))).toString('utf8')]))));
    assert.deepEqual(await snapshot(copy), await snapshot(source));
  });

  it('writes a delta of what changed since a moment, deletions included, with status and dateLastModified', async () => {
    await load(source, samplePackage('1.2'));
    clock = new Date('2026-03-05T00:00:00.000Z');
    const rows = sampleRows('1.2');
    rows.enrollments = (rows.enrollments as Rows).filter((e) => e.sourcedId !== 'enr-s2');
    await load(source, samplePackage('1.2', rows));

    const { pkg, files } = await exportZip(source, '1.2', new Date('2026-03-02T00:00:00.000Z'));
    assert.deepEqual(files, { enrollments: 1 });
    const report = await validatePackage(pkg);
    assert.equal(report.manifest?.modes.get('enrollments'), 'delta');
    assert.deepEqual(
      report.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const text = (await collect(await pkg.open('enrollments.csv'))).toString('utf8');
    assert.match(text, /\r\nenr-s2,tobedeleted,2026-03-05T00:00:00\.000Z,class-math-a,/);

    const audit = await database.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'oneroster.export').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.details, { version: '1.2', mode: 'delta', since: '2026-03-02T00:00:00.000Z', files: { enrollments: 1 } });
  });
});
