import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';
import { loadMigrations, MigrationError, migrate, pendingMigrations } from './migrate.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it('a fresh test database has every migration applied, and migrating again applies nothing', async () => {
    assert.deepEqual(await pendingMigrations(database.db), []);
    assert.deepEqual(await migrate(database.db), []);
    const applied = await database.db.selectFrom('schema_migrations').select(['version', 'name']).orderBy('version').execute();
    assert.deepEqual(
      applied,
      loadMigrations().map((m) => ({ version: m.version, name: m.name })),
    );
  });

  it('applies new migrations in order, in one transaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edhub-migrations-'));
    const current = loadMigrations();
    for (const m of current) writeFileSync(join(dir, `${String(m.version).padStart(4, '0')}_${m.name}.sql`), m.sql);
    const next = String(current.length + 1).padStart(4, '0');
    writeFileSync(join(dir, `${next}_widgets.sql`), 'CREATE TABLE widgets (id int PRIMARY KEY);\nINSERT INTO widgets VALUES (1), (2);');
    const applied = await migrate(database.db, loadMigrations(dir));
    assert.deepEqual(
      applied.map((m) => m.name),
      ['widgets'],
    );
    const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM widgets`.execute(database.db);
    assert.equal(Number(rows.rows[0]?.n), 2);

    // A failing migration leaves nothing behind: neither its table nor its history row.
    writeFileSync(join(dir, `${String(current.length + 2).padStart(4, '0')}_broken.sql`), 'CREATE TABLE gadgets (id int);\nSELECT no_such_function();');
    await assert.rejects(migrate(database.db, loadMigrations(dir)), /no_such_function/);
    const gadgets = await sql<{ t: string | null }>`SELECT to_regclass('gadgets')::text AS t`.execute(database.db);
    assert.equal(gadgets.rows[0]?.t, null);
    assert.deepEqual(await pendingMigrations(database.db, loadMigrations(dir)), [`${String(current.length + 2).padStart(4, '0')}_broken`]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edhub-migrations-'));
    for (const m of loadMigrations()) writeFileSync(join(dir, `${String(m.version).padStart(4, '0')}_${m.name}.sql`), `${m.sql}\n-- edited`);
    await assert.rejects(migrate(database.db, loadMigrations(dir)), (err: Error) => err instanceof MigrationError && /must never be edited/.test(err.message));
  });

  it('refuses a database migrated by a newer release', async () => {
    await database.db.insertInto('schema_migrations').values({ version: 999, name: 'future', checksum: 'x' }).execute();
    await assert.rejects(pendingMigrations(database.db), /migrated by a newer EdHub/);
  });

  it('rejects badly named or gapped migration files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edhub-migrations-'));
    writeFileSync(join(dir, '0002_second.sql'), 'SELECT 1;');
    assert.throws(() => loadMigrations(dir), /without gaps/);
    writeFileSync(join(dir, 'add-things.sql'), 'SELECT 1;');
    assert.throws(() => loadMigrations(dir), /is not NNNN_name\.sql/);
  });
});
