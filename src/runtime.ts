import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { insecureDefaults } from './config/load-config.js';
import { acquireDataDirLock, type DataDirLock } from './db/data-dir-lock.js';
import { type DatabaseHandle, databaseTarget, openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import type { EdhubConfig } from './generated/config.js';
import type { Logger } from './observability/logger.js';
import { projectRoot } from './paths.js';
import { SchemaRegistry } from './schemas/registry.js';
import { loadKeyring, type MasterKeyring } from './security/master-keyring.js';
import { Vault } from './security/vault.js';

/** Everything a server or a CLI command works with, opened in one place in a fixed order. */
export interface Runtime {
  config: EdhubConfig;
  logger: Logger;
  database: DatabaseHandle;
  vault: Vault;
  keyring: MasterKeyring;
  /** The API schemas, compiled once per process (loading and compiling them is start-up work). */
  schemas: SchemaRegistry;
  /** Held in embedded mode: the data directory belongs to this process until close(). */
  lock?: DataDirLock;
  reloadKeyring(): MasterKeyring;
  close(): Promise<void>;
}

export const version: string = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Opens the runtime: takes the data-directory lock (embedded mode; throws DataDirLockedError when
 * another process has it), opens the database, applies pending migrations, loads the master keyring.
 */
export async function openRuntime(config: EdhubConfig, logger: Logger, role: 'server' | 'cli'): Promise<Runtime> {
  const target = databaseTarget(config);
  const lock = target.kind === 'pglite' ? acquireDataDirLock(config.dataDir, role) : undefined;
  try {
    const database = await openDatabase(target);
    try {
      const applied = await migrate(database.db);
      if (applied.length > 0) logger.info({ migrations: applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`) }, 'database migrated');
      const { keyring, generated } = loadKeyring(config);
      if (generated) logger.warn({ file: keyring.file }, 'generated a new master key for the secret vault');
      if (role === 'server') for (const w of insecureDefaults(config)) logger.warn(w);
      const vault = new Vault(database.db, keyring);
      const rt: Runtime = {
        config,
        logger,
        database,
        vault,
        keyring,
        schemas: new SchemaRegistry(),
        lock,
        reloadKeyring() {
          rt.keyring = loadKeyring(config).keyring;
          vault.useKeyring(rt.keyring);
          return rt.keyring;
        },
        async close() {
          await database.close();
          lock?.release();
        },
      };
      return rt;
    } catch (err) {
      await database.close();
      throw err;
    }
  } catch (err) {
    lock?.release();
    throw err;
  }
}
