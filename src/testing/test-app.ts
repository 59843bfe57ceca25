import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import supertest from 'supertest';
import { loadConfig } from '../config/load-config.js';
import type { EdhubConfig } from '../generated/config.js';
import { createApp } from '../http/app.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { SchemaRegistry } from '../schemas/registry.js';
import type { ActorContext } from '../security/audit-log.js';
import { MasterKeyring, masterKeyFrom } from '../security/master-keyring.js';
import { Vault } from '../security/vault.js';
import { createApiKey } from '../tenancy/api-keys.js';
import type { TenantId } from '../tenancy/ids.js';
import { createOAuthClient } from '../tenancy/oauth-clients.js';
import { PLATFORM_ADMIN, TENANT_ADMIN } from '../tenancy/scopes.js';
import { createTenant } from '../tenancy/tenants.js';
import { captureLogger } from './capture-logger.js';
import { freshDatabase, type TestDatabase } from './test-database.js';

/** A complete app on a fresh database, with a movable clock and every log line captured. */
export interface TestApp {
  app: Express;
  http: ReturnType<typeof supertest>;
  database: TestDatabase;
  vault: Vault;
  keyring: MasterKeyring;
  config: EdhubConfig;
  logger: Logger;
  /** Every log line written so far (JSON text). */
  logs: string[];
  clock: { now: Date };
  ctx: ActorContext;
  close(): Promise<void>;
  platformKey(): Promise<string>;
  tenantWithAdmin(name: string): Promise<{ tenantId: TenantId; adminKey: string }>;
  oauthClient(tenantId: TenantId, scopes: string[], options?: { oauth1?: boolean }): Promise<{ clientId: string; clientSecret: string }>;
}

export const cliContext: ActorContext = { actor: { type: 'cli', id: 'test@localhost' }, requestId: null, sourceIp: null };

export async function testApp(overrides: Partial<EdhubConfig> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const config = loadConfig({ env: {}, overrides: { logLevel: 'debug', dataDir: '/nonexistent', ...overrides } });
  const { logger, lines: logs } = captureLogger(config.logLevel);
  const keyring = new MasterKeyring(masterKeyFrom(randomBytes(32).toString('base64')));
  const vault = new Vault(database.db, keyring);
  const clock = { now: new Date() };
  const app = createApp({ database, vault, config, logger, metrics: createMetrics(), schemas: new SchemaRegistry(), now: () => clock.now, version: 'test' });
  return {
    app,
    http: supertest(app),
    database,
    vault,
    keyring,
    config,
    logger,
    logs,
    clock,
    ctx: cliContext,
    close: () => database.close(),
    async platformKey() {
      return (await createApiKey(database.db, cliContext, null, { scopes: [PLATFORM_ADMIN] })).key;
    },
    async tenantWithAdmin(name) {
      const tenant = await createTenant(database.db, cliContext, name);
      const tenantId = tenant.id as TenantId;
      const { key } = await createApiKey(database.db, cliContext, tenantId, { scopes: [TENANT_ADMIN] });
      return { tenantId, adminKey: key };
    },
    async oauthClient(tenantId, scopes, options = {}) {
      const c = await createOAuthClient(database.db, vault, cliContext, tenantId, { scopes, oauth1: options.oauth1 });
      return { clientId: c.clientId, clientSecret: c.clientSecret };
    },
  };
}
