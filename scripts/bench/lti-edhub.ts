/**
 * EdHub for the LTI launch benchmark: the real app (createApp) on a loopback HTTP server, with the
 * emulated platform registered by hand in a tenant, as an administrator would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { createPlatform } from '../../src/lti/registrations/platforms.js';
import type { TenantId } from '../../src/tenancy/ids.js';
import { createTenant } from '../../src/tenancy/tenants.js';
import { cliContext } from '../../src/testing/test-app.js';
import type { TestDatabase } from '../../src/testing/test-database.js';
import { benchApp } from './bench-app.js';

export interface EdhubUnderTest {
  base: string;
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  /** Where the app's queries go: PostgreSQL through a production-sized pool, or PGlite. */
  database: DatabaseHandle;
  close(): Promise<void>;
}

export interface PlatformToRegister {
  issuer: string;
  clientId: string;
  deploymentId: string;
  authorization: string;
  token: string;
  jwks: string;
}

/** Listens first: the launch checks compare target_link_uri with baseUrl, which must be the real origin. */
export async function startEdhub(database: TestDatabase): Promise<EdhubUnderTest & { register(platform: PlatformToRegister): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The test database's pool has 4 connections; `edhub serve` opens 10 (db/database.ts). Measure what is deployed.
  const appDatabase = database.url ? await openDatabase({ kind: 'postgres', url: database.url }) : database;
  // outboundAllow: the emulator's JWKS is on loopback, which the outbound policy refuses by default (SSRF).
  const { app } = benchApp(appDatabase, { baseUrl: base, outboundAllow: ['127.0.0.0/8'] });
  server.on('request', app);
  const tenantId = (await createTenant(appDatabase.db, cliContext, 'Bench')).id as TenantId;

  return {
    base,
    loginUrl: `${base}/lti/login`,
    launchUrl: `${base}/lti/launch`,
    jwksUrl: `${base}/.well-known/jwks.json`,
    database: appDatabase,
    register: async (p) => {
      await createPlatform(appDatabase.db, cliContext, tenantId, {
        name: 'EdHub platform emulator',
        issuer: p.issuer,
        clientId: p.clientId,
        authUrl: p.authorization,
        tokenUrl: p.token,
        jwksUrl: p.jwks,
        deployments: [p.deploymentId],
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (appDatabase !== database) await appDatabase.close();
    },
  };
}
