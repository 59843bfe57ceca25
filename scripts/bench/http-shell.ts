import express from 'express';
import { createApiKey } from '../../src/tenancy/api-keys.js';
import type { TenantId } from '../../src/tenancy/ids.js';
import { createOAuthClient } from '../../src/tenancy/oauth-clients.js';
import { createTenant } from '../../src/tenancy/tenants.js';
import { cliContext } from '../../src/testing/test-app.js';
import { freshDatabase } from '../../src/testing/test-database.js';
import { benchApp } from './bench-app.js';
import { listen, load } from './harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 4000);
const CONCURRENCY = arg('concurrency', 16);

const bare = express();
bare.get('/ping', (_req, res) => {
  res.json({ status: 'ok' });
});

const database = await freshDatabase();
const { app, vault } = benchApp(database);
const tenant = await createTenant(database.db, cliContext, 'Bench');
const tenantId = tenant.id as TenantId;
const { key } = await createApiKey(database.db, cliContext, tenantId, { scopes: ['tenant.admin'] });
const client = await createOAuthClient(database.db, vault, cliContext, tenantId, { scopes: ['audit.read'] });
const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;

const b = await listen(bare);
const e = await listen(app);
const tokenRes = await fetch(`${e.base}/oauth/token`, {
  method: 'POST',
  headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
});
const accessToken = ((await tokenRes.json()) as { access_token: string }).access_token;

const common = { count: REQUESTS, concurrency: CONCURRENCY };
await load({ url: `${b.base}/ping`, count: 500, concurrency: CONCURRENCY }); // warm-up
await load({ url: `${e.base}/healthz`, count: 500, concurrency: CONCURRENCY });

const cases: [string, Record<string, unknown>][] = [
  ['bare Express GET /ping (baseline)', { url: `${b.base}/ping` }],
  ['EdHub GET /healthz (middleware only)', { url: `${e.base}/healthz` }],
  ['EdHub GET /api/v1/me (API key)', { url: `${e.base}/api/v1/me`, headers: { Authorization: `Bearer ${key}` } }],
  ['EdHub GET /api/v1/me (OAuth token)', { url: `${e.base}/api/v1/me`, headers: { Authorization: `Bearer ${accessToken}` } }],
  [
    'EdHub POST /oauth/token',
    {
      url: `${e.base}/oauth/token`,
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    },
  ],
];

console.log(`HTTP shell benchmark — ${REQUESTS} requests per case, concurrency ${CONCURRENCY}, database ${database.kind}, node ${process.version}`);
let baseline = 0;
for (const [name, options] of cases) {
  const r = await load({ ...common, ...options });
  if (baseline === 0) baseline = r.rps;
  console.log(
    `${name.padEnd(40)} ${r.rps.toFixed(0).padStart(7)} req/s  ratio ${(r.rps / baseline).toFixed(3)}  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`,
  );
}

b.server.close();
e.server.close();
await database.close();
