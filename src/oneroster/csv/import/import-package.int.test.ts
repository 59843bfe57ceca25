import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantId } from '../../../tenancy/ids.js';
import { createTenant } from '../../../tenancy/tenants.js';
import { memoryPackage } from '../../../testing/memory-package.js';
import { type Rows, samplePackage, sampleRows } from '../../../testing/oneroster-sample.js';
import { cliContext } from '../../../testing/test-app.js';
import { freshDatabase, type TestDatabase } from '../../../testing/test-database.js';
import { importPackage } from './import-package.js';

describe('OneRoster CSV import', () => {
  let database: TestDatabase;
  let tenantId: TenantId;
  let clock: Date;
  const run = (files: Record<string, string>) =>
    importPackage(database.db, memoryPackage(files), { tenantId, sourceName: 'test.zip', ctx: cliContext, now: () => clock, copyIn: database.copyIn });
  const stored = async (file: string) =>
    (
      await database.db
        .selectFrom('roster_records')
        .select(['sourced_id', 'status', 'date_last_modified', 'fields'])
        .where('tenant_id', '=', tenantId)
        .where('file', '=', file)
        .orderBy('sourced_id')
        .execute()
    ).map((r) => ({ id: r.sourced_id, status: r.status, modified: r.date_last_modified.toISOString(), fields: r.fields }));
  const delta = (rows: Record<string, Rows>) => {
    for (const list of Object.values(rows)) {
      for (const r of list) {
        r.status ??= 'active';
        r.dateLastModified ??= '2026-02-01T00:00:00.000Z';
      }
    }
    return samplePackage('1.2', rows, 'delta');
  };

  beforeEach(async () => {
    database = await freshDatabase();
    tenantId = (await createTenant(database.db, cliContext, 'Import District')).id as TenantId;
    clock = new Date('2026-01-10T08:00:00.000Z');
  });
  afterEach(() => database.close());

  it('imports a bulk package: every record stored in canonical form, counted, recorded and audited', async () => {
    const r = await run(samplePackage('1.2'));
    assert.equal(r.status, 'succeeded');
    assert.deepEqual(r.counts.users, { rows: 3, inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
    assert.deepEqual(r.counts.enrollments, { rows: 3, inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
    const users = await stored('users');
    assert.deepEqual(users[0], {
      id: 'student-1',
      status: 'active',
      modified: '2026-01-10T08:00:00.000Z',
      fields: {
        enabledUser: 'true',
        username: 'lisa.s',
        userIds: '{LDAP:ls001},{SIS:1001}',
        givenName: 'Lisa',
        familyName: 'Simpson',
        grades: '05',
        primaryOrgSourcedId: 'school-1',
      },
    });
    const rec = await database.db.selectFrom('roster_imports').selectAll().where('id', '=', r.importId).executeTakeFirstOrThrow();
    assert.equal(rec.status, 'succeeded');
    assert.equal(rec.oneroster_version, '1.2');
    assert.match(rec.file_hashes['users.csv'] ?? '', /^[0-9a-f]{64}$/);
    assert.equal(rec.counts.orgs?.inserted, 2);
    const audit = await database.db.selectFrom('audit_events').select(['action', 'target_id']).where('action', '=', 'oneroster.import').execute();
    assert.deepEqual(audit, [{ action: 'oneroster.import', target_id: r.importId }]);
    const staging = await sql<{ n: string }>`SELECT count(*) AS n FROM roster_import_rows`.execute(database.db);
    assert.equal(Number(staging.rows[0]?.n), 0);
  });

  it('refreshes the planner statistics after a large import (and not after a small one)', async () => {
    const reltuples = async () =>
      Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE relname = 'roster_records'`.execute(database.db)).rows[0]?.n);
    // A fresh table has never been analysed (reltuples -1, or 0 on older servers).
    assert.ok((await reltuples()) <= 0);
    assert.equal((await run(samplePackage('1.2'))).status, 'succeeded');
    assert.ok((await reltuples()) <= 0, 'a small import leaves ANALYZE to autovacuum');
    const rows = sampleRows('1.2');
    for (let i = 0; i < 3000; i++) {
      (rows.users as Rows).push({
        sourcedId: `bulk-${i}`,
        enabledUser: 'true',
        username: `b${i}`,
        givenName: 'B',
        familyName: `N${i}`,
        primaryOrgSourcedId: 'school-1',
      });
      (rows.roles as Rows).push({ sourcedId: `bulk-role-${i}`, userSourcedId: `bulk-${i}`, roleType: 'primary', role: 'student', orgSourcedId: 'school-1' });
    }
    assert.equal((await run(samplePackage('1.2', rows))).status, 'succeeded');
    assert.ok((await reltuples()) > 5000, `reltuples ${await reltuples()}`);
  });

  it('changes nothing — not even dateLastModified — when the same package is imported again', async () => {
    await run(samplePackage('1.2'));
    const before = await stored('users');
    clock = new Date('2026-01-11T08:00:00.000Z');
    const again = await run(samplePackage('1.2'));
    for (const c of Object.values(again.counts)) assert.deepEqual([c.inserted, c.updated, c.deleted], [0, 0, 0]);
    assert.equal(again.counts.users?.unchanged, 3);
    assert.deepEqual(await stored('users'), before);
  });

  it('treats a bulk file as the whole truth: a missing record becomes tobedeleted (never hard-deleted), a changed one is updated', async () => {
    await run(samplePackage('1.2'));
    clock = new Date('2026-01-12T08:00:00.000Z');
    const rows = sampleRows('1.2');
    rows.users = (rows.users as Rows).filter((u) => u.sourcedId !== 'student-2');
    rows.roles = (rows.roles as Rows).filter((u) => u.userSourcedId !== 'student-2');
    rows.enrollments = (rows.enrollments as Rows).filter((e) => e.userSourcedId !== 'student-2');
    (rows.users as Rows)[0] = { ...(rows.users as Rows)[0], familyName: 'Krabappel-Flanders' } as Record<string, string>;
    const r = await run(samplePackage('1.2', rows));
    assert.equal(r.status, 'succeeded');
    assert.deepEqual(r.counts.users, { rows: 2, inserted: 0, updated: 1, unchanged: 1, deleted: 1 });
    const users = await stored('users');
    assert.deepEqual(
      users.map((u) => [u.id, u.status, u.modified]),
      [
        ['student-1', 'active', '2026-01-10T08:00:00.000Z'],
        ['student-2', 'tobedeleted', '2026-01-12T08:00:00.000Z'],
        ['teacher-1', 'active', '2026-01-12T08:00:00.000Z'],
      ],
    );
    // A file the package does not contain keeps its records.
    const noDemographics = sampleRows('1.2');
    delete noDemographics.demographics;
    await run(samplePackage('1.2', noDemographics));
    assert.equal((await stored('demographics'))[0]?.status, 'active');
  });

  it('applies a delta: upserts with the file dateLastModified, deletions, and references to stored records', async () => {
    await run(samplePackage('1.2'));
    const r = await run(
      delta({
        users: [
          {
            sourcedId: 'student-3',
            enabledUser: 'true',
            username: 'milhouse',
            givenName: 'Milhouse',
            familyName: 'Van Houten',
            primaryOrgSourcedId: 'school-1',
          },
        ],
        enrollments: [
          { sourcedId: 'enr-s3', classSourcedId: 'class-math-a', schoolSourcedId: 'school-1', userSourcedId: 'student-3', role: 'student' },
          { sourcedId: 'enr-s2', status: 'tobedeleted' },
        ],
      }),
    );
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
    assert.deepEqual(r.counts.enrollments, { rows: 2, inserted: 1, updated: 0, unchanged: 0, deleted: 1 });
    const enrollments = await stored('enrollments');
    assert.deepEqual(
      enrollments.map((e) => [e.id, e.status, e.modified]),
      [
        ['enr-s1', 'active', '2026-01-10T08:00:00.000Z'],
        ['enr-s2', 'tobedeleted', '2026-02-01T00:00:00.000Z'],
        ['enr-s3', 'active', '2026-02-01T00:00:00.000Z'],
        ['enr-t1', 'active', '2026-01-10T08:00:00.000Z'],
      ],
    );
  });

  it('refuses a delta whose reference names nothing stored, and changes nothing', async () => {
    await run(samplePackage('1.2'));
    const before = await stored('enrollments');
    const r = await run(
      delta({
        enrollments: [{ sourcedId: 'enr-x', classSourcedId: 'class-nope', schoolSourcedId: 'district-1', userSourcedId: 'student-1', role: 'student' }],
      }),
    );
    assert.equal(r.status, 'failed');
    assert.deepEqual(
      r.report.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`),
      ['2:classSourcedId ref.missing', '2:schoolSourcedId ref.wrong-type'],
    );
    assert.deepEqual(await stored('enrollments'), before);
    const rec = await database.db.selectFrom('roster_imports').selectAll().where('id', '=', r.importId).executeTakeFirstOrThrow();
    assert.equal(rec.status, 'failed');
    assert.equal(rec.failure, 'the package has errors; nothing was changed');
    assert.equal(rec.error_count, 2);
  });

  it('imports nothing from a package with one bad row', async () => {
    const r = await run(
      samplePackage(
        '1.2',
        (() => {
          const rows = sampleRows('1.2');
          (rows.classes as Rows)[0] = { ...(rows.classes as Rows)[0], classType: 'lecture' } as Record<string, string>;
          return rows;
        })(),
      ),
    );
    assert.equal(r.status, 'failed');
    const n = await sql<{ n: string }>`SELECT count(*) AS n FROM roster_records`.execute(database.db);
    assert.equal(Number(n.rows[0]?.n), 0);
  });

  it('maps OneRoster 1.1 into the 1.2 model: users get roles, lineItems an academic session', async () => {
    const rows = sampleRows('1.1');
    (rows.users as Rows).push({
      sourcedId: 'admin-1',
      enabledUser: 'true',
      orgSourcedIds: 'school-1,district-1',
      role: 'administrator',
      username: 'skinner',
      givenName: 'Seymour',
      familyName: 'Skinner',
    });
    rows.categories = [{ sourcedId: 'cat-hw', title: 'Homework' }];
    rows.lineItems = [
      {
        sourcedId: 'li-1',
        title: 'Fractions',
        assignDate: '2025-09-01',
        dueDate: '2025-09-08',
        classSourcedId: 'class-math-a',
        categorySourcedId: 'cat-hw',
        gradingPeriodSourcedId: 'term-1',
        resultValueMin: '0',
        resultValueMax: '10',
      },
    ];
    const r = await run(samplePackage('1.1', rows));
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
    const roles = (await stored('roles')).filter((x) => x.fields.userSourcedId === 'admin-1');
    assert.deepEqual(
      roles.map((x) => [x.id, x.fields.roleType, x.fields.role, x.fields.orgSourcedId]),
      [
        ['admin-1@district-1', 'secondary', 'siteAdministrator', 'district-1'],
        ['admin-1@school-1', 'primary', 'siteAdministrator', 'school-1'],
      ],
    );
    const admin = (await stored('users')).find((u) => u.id === 'admin-1');
    assert.equal(admin?.fields.primaryOrgSourcedId, 'school-1');
    assert.equal(admin?.fields.role, undefined);
    const [li] = await stored('lineItems');
    assert.equal(li?.fields.academicSessionSourcedId, 'term-1');
    assert.equal(r.counts.roles?.inserted, 5);
  });

  it("replaces a 1.1 user's roles with each delta row of that user, and retires them when the user is deleted", async () => {
    const rows = sampleRows('1.1');
    const admin = {
      sourcedId: 'admin-1',
      enabledUser: 'true',
      orgSourcedIds: 'school-1,district-1',
      role: 'administrator',
      username: 'skinner',
      givenName: 'Seymour',
      familyName: 'Skinner',
    };
    (rows.users as Rows).push(admin);
    assert.equal((await run(samplePackage('1.1', rows))).status, 'succeeded');
    const stamp = { status: 'active', dateLastModified: '2026-03-01T00:00:00.000Z' };
    const r = await run(
      samplePackage(
        '1.1',
        {
          users: [
            { ...admin, ...stamp, orgSourcedIds: 'district-1' },
            { sourcedId: 'student-1', status: 'tobedeleted', dateLastModified: stamp.dateLastModified },
          ],
        },
        'delta',
      ),
    );
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
    const roles = (await stored('roles')).filter((x) => ['admin-1', 'student-1'].includes(x.fields.userSourcedId as string));
    assert.deepEqual(
      roles.map((x) => [x.id, x.status, x.fields.roleType]),
      [
        ['admin-1@district-1', 'active', 'primary'],
        ['admin-1@school-1', 'tobedeleted', 'primary'],
        ['student-1@school-1', 'tobedeleted', 'primary'],
      ],
    );
    assert.deepEqual(r.counts.roles, { rows: 1, inserted: 0, updated: 1, unchanged: 0, deleted: 2 });
  });

  it('runs one import per tenant at a time, and recovers from an import whose process died', async () => {
    const dead = randomUUID();
    await database.db
      .insertInto('roster_imports')
      .values({
        id: dead,
        tenant_id: tenantId,
        status: 'running',
        source_name: 'x',
        actor_type: 'cli',
        actor_id: 'x',
        started_at: new Date(clock.getTime() - 5 * 60_000),
      })
      .execute();
    await assert.rejects(run(samplePackage('1.2')), /is still running for this tenant/);
    // An hour later it is taken to have died: its staging rows are swept and the import re-runs cleanly.
    await sql`INSERT INTO roster_import_rows (import_id, file, sourced_id, status, content_hash, fields) VALUES (${dead}::uuid, 'users', 'ghost', 'active', '\\x00', '{}')`.execute(
      database.db,
    );
    clock = new Date(clock.getTime() + 2 * 3600_000);
    const r = await run(samplePackage('1.2'));
    assert.equal(r.status, 'succeeded');
    const old = await database.db.selectFrom('roster_imports').select(['status', 'failure']).where('id', '=', dead).executeTakeFirstOrThrow();
    assert.deepEqual(old, { status: 'failed', failure: 'interrupted: the process stopped before the import finished' });
    assert.equal(
      (await stored('users')).some((u) => u.id === 'ghost'),
      false,
    );
    const staging = await sql<{ n: string }>`SELECT count(*) AS n FROM roster_import_rows`.execute(database.db);
    assert.equal(Number(staging.rows[0]?.n), 0);
  });
});
