import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { preparingPool } from './prepared-statements.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** The one database handle the rest of the code is given. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** The embedded instance; absent on PostgreSQL. */
  readonly pglite?: PGlite;
  /** Bulk load: COPY `target` (`table (col, …)`) from `text` in COPY text format, on its own statement. */
  readonly copyIn: BulkLoader;
  close(): Promise<void>;
}

export type BulkLoader = (target: string, text: string) => Promise<void>;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** dataDir: a directory, or 'memory://'. loadDataDir: a dumpDataDir() snapshot to start from. */
  | { kind: 'pglite'; dataDir: string; loadDataDir?: Blob | File };

/** Where the configuration says the database is: PostgreSQL when DATABASE_URL is set, else PGlite in dataDir. */
export function databaseTarget(config: { databaseUrl?: string; dataDir: string }): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // A dropped idle connection must not take the process down; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    const copyIn: BulkLoader = async (target, text) => {
      const client = await pool.connect();
      try {
        await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT text)`)));
      } finally {
        client.release();
      }
    };
    return { db, kind: 'postgres', copyIn, close: () => db.destroy() };
  }

  if (target.dataDir !== 'memory://') mkdirSync(target.dataDir, { recursive: true });
  // pg_trgm: trigram indexes for OneRoster's `~` (contains) filters (migration 0006).
  const pglite = new PGlite(target.dataDir, { extensions: { pg_trgm }, ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}) });
  await pglite.waitReady;
  // PGlite is one connection: the pool has size 1, so code inside a transaction must use the
  // transaction object for every query (it would otherwise wait for itself).
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  // Holding the pool's only connection keeps the COPY out of any transaction another caller has open
  // on the same single PGlite session.
  const copyIn: BulkLoader = (target, text) =>
    db.connection().execute(async () => {
      await pglite.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT text)`, [], { blob: new Blob([text]) });
    });
  return {
    db,
    kind: 'pglite',
    pglite,
    copyIn,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
