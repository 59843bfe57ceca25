import { randomBytes } from 'node:crypto';
import type express from 'express';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import type { EdhubConfig } from '../../src/generated/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { SchemaRegistry } from '../../src/schemas/registry.js';
import { MasterKeyring, masterKeyFrom } from '../../src/security/master-keyring.js';
import { Vault } from '../../src/security/vault.js';

/**
 * The whole EdHub app as the benchmarks measure it: production middleware, info-level request logs
 * written where they cost what they cost minus the terminal (/dev/null, asynchronously), a fresh
 * master key, and the given configuration overrides.
 */
export function benchApp(database: DatabaseHandle, overrides: Partial<EdhubConfig> = {}): { app: express.Express; vault: Vault; config: EdhubConfig } {
  const config = loadConfig({ env: {}, overrides: { logLevel: 'info', ...overrides } });
  const vault = new Vault(database.db, new MasterKeyring(masterKeyFrom(randomBytes(32).toString('base64'))));
  const app = createApp({
    database,
    vault,
    config,
    logger: createLogger('info', pino.destination({ dest: '/dev/null', sync: false })),
    metrics: createMetrics(),
    schemas: new SchemaRegistry(),
    now: () => new Date(),
    version: 'bench',
  });
  return { app, vault, config };
}
