import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { projectRoot } from '../paths.js';

/**
 * Fresh, migrated databases for tests, fast:
 * - PGlite (default): one migrated instance is dumped once (and cached under .edhub-test-cache/, keyed
 *   by the migrations and the PGlite version); each fresh database loads that snapshot (~0.5 s).
 * - PostgreSQL (DATABASE_URL set): a migrated template database is made once; each fresh database is
 *   CREATE DATABASE … TEMPLATE it (tens of ms), dropped again on close.
 */
export interface TestDatabase extends DatabaseHandle {
  /** postgres:// URL of this very database (PostgreSQL mode only), for child processes. */
  readonly url?: string;
}

const migrationsKey = createHash('sha256')
  .update(
    loadMigrations()
      .map((m) => m.checksum)
      .join(','),
  )
  .update(JSON.parse(readFileSync(join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version as string)
  .digest('hex')
  .slice(0, 12);

export function usingPostgres(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

export async function freshDatabase(): Promise<TestDatabase> {
  return usingPostgres() ? freshPostgres(process.env.DATABASE_URL as string) : freshPglite();
}

let snapshot: Promise<Blob> | undefined;

async function freshPglite(): Promise<TestDatabase> {
  snapshot ??= pgliteSnapshot();
  return openDatabase({ kind: 'pglite', dataDir: 'memory://', loadDataDir: await snapshot });
}

async function pgliteSnapshot(): Promise<Blob> {
  const dir = join(projectRoot, '.edhub-test-cache');
  const file = join(dir, `pglite-${migrationsKey}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // not cached yet: build it below
  }
  const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  await migrate(handle.db);
  const blob = await (handle.pglite as NonNullable<DatabaseHandle['pglite']>).dumpDataDir('none');
  await handle.close();
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  renameSync(tmp, file);
  return blob;
}

let template: Promise<string> | undefined;
let counter = 0;

async function freshPostgres(url: string): Promise<TestDatabase> {
  template ??= ensureTemplate(url);
  const tpl = await template;
  const name = `edhub_t_${process.pid}_${++counter}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${tpl}`));
  const dbUrl = withDatabase(url, name);
  const handle = await openDatabase({ kind: 'postgres', url: dbUrl, poolSize: 4 });
  return {
    ...handle,
    url: dbUrl,
    close: async () => {
      await handle.close();
      await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function ensureTemplate(url: string): Promise<string> {
  const tpl = `edhub_tpl_${migrationsKey}`;
  await admin(url, async (c) => {
    await c.query('SELECT pg_advisory_lock(42424242)');
    try {
      // Leftovers of test runs that died before dropping their databases.
      const stale = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'edhub\\_t\\_%'`);
      for (const { datname } of stale.rows) {
        const pid = Number(datname.split('_')[2]);
        if (!isAlive(pid)) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [tpl]);
      if (exists.rowCount) return;
      await c.query(`CREATE DATABASE ${tpl}_building`);
      const handle = await openDatabase({ kind: 'postgres', url: withDatabase(url, `${tpl}_building`), poolSize: 1 });
      try {
        await migrate(handle.db);
      } finally {
        await handle.close();
      }
      await c.query(`ALTER DATABASE ${tpl}_building RENAME TO ${tpl}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(42424242)');
    }
  });
  return tpl;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
