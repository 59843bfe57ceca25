import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { migrationsDir } from '../paths.js';
import type { Database } from './schema.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Thrown when the database's migration history does not match the files of this release. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** An arbitrary constant: the advisory lock that serialises migrators across app instances. */
const MIGRATION_LOCK = 7_245_118_301;

/** The numbered SQL files in src/db/migrations, in order (`NNNN_name.sql`). */
export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m) throw new MigrationError(`migration file name ${file} is not NNNN_name.sql`);
      const text = readFileSync(join(dir, file), 'utf8');
      return { version: Number(m[1]), name: m[2] as string, sql: text, checksum: sha256(text) };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migrations must be numbered 0001, 0002, … without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

/**
 * Applies every pending migration in one transaction under an advisory lock, so concurrent starts of
 * several app instances migrate once and a failure leaves the schema as it was.
 */
export async function migrate(db: Kysely<Database>, migrations: Migration[] = loadMigrations()): Promise<Migration[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(trx);
    const applied = await trx.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
    checkHistory(applied, migrations);
    const pending = migrations.slice(applied.length);
    for (const m of pending) {
      // No parameters: node-postgres then uses the simple protocol, which runs a multi-statement file.
      await trx.executeQuery(CompiledQuery.raw(m.sql, []));
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, checksum: m.checksum }).execute();
    }
    return pending;
  });
}

/** Names of migrations not yet applied ([] = up to date). Throws MigrationError if history diverges. */
export async function pendingMigrations(db: Kysely<Database>, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('schema_migrations')::text AS t`.execute(db);
  if (!exists.rows[0]?.t) return migrations.map(label);
  const applied = await db.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
  checkHistory(applied, migrations);
  return migrations.slice(applied.length).map(label);
}

function checkHistory(applied: { version: number; name: string; checksum: string }[], migrations: Migration[]): void {
  if (applied.length > migrations.length) {
    throw new MigrationError(
      `the database has ${applied.length} migrations applied but this release knows only ${migrations.length}: it was migrated by a newer EdHub`,
    );
  }
  applied.forEach((a, i) => {
    const m = migrations[i] as Migration;
    if (a.version !== m.version || a.checksum !== m.checksum) {
      throw new MigrationError(
        `migration ${label(m)} differs from the one applied to this database (${a.version}_${a.name}); applied migrations must never be edited`,
      );
    }
  });
}

function label(m: { version: number; name: string }): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
