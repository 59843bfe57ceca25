/**
 * Benchmark of the OneRoster REST provider (issue #4 targets) on a generated district: the list,
 * filter, nested and delta routes at concurrency 50, against a bare Express route serving a pre-built
 * response of the same size, measured in the same run; and one `limit=10000` page.
 * Usage: npm run bench:rest [-- --students N --requests N --concurrency C --package <dir>]
 * Runs on PostgreSQL when DATABASE_URL is set (the target), else on PGlite.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { sql } from 'kysely';
import { importPackage } from '../../src/oneroster/csv/import/import-package.js';
import { openDirectory } from '../../src/packaging/open-directory.js';
import { projectRoot } from '../../src/paths.js';
import type { TenantId } from '../../src/tenancy/ids.js';
import { createOAuthClient } from '../../src/tenancy/oauth-clients.js';
import { createTenant } from '../../src/tenancy/tenants.js';
import { cliContext } from '../../src/testing/test-app.js';
import { freshDatabase } from '../../src/testing/test-database.js';
import { benchApp } from './bench-app.js';
import { listen, load } from './harness.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] as string) : fallback;
};
const STUDENTS = Number(arg('students', '120000'));
const REQUESTS = Number(arg('requests', '2000'));
const CONCURRENCY = Number(arg('concurrency', '50'));
const R12 = '/ims/oneroster/rostering/v1p2';

const work = mkdtempSync(join(tmpdir(), 'edhub-bench-rest-'));
const pkgDir = arg('package', join(work, 'district'));
const database = await freshDatabase();
try {
  console.log(`OneRoster REST benchmark — ${STUDENTS.toLocaleString('en-US')} students, database ${database.kind}, node ${process.version}`);
  if (!process.argv.includes('--package')) {
    await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      join(projectRoot, 'scripts/gen-district/main.ts'),
      '--students',
      String(STUDENTS),
      '--out',
      pkgDir,
    ]);
  }
  const tenantId = (await createTenant(database.db, cliContext, 'Bench')).id as TenantId;
  const t0 = performance.now();
  const imported = await importPackage(database.db, await openDirectory(pkgDir), { tenantId, sourceName: 'bench', ctx: cliContext, copyIn: database.copyIn });
  if (imported.status !== 'succeeded') throw new Error(`import failed: ${JSON.stringify(imported.report.diagnostics.slice(0, 3))}`);
  const count = (file: string) => imported.counts[file]?.rows ?? 0;
  console.log(
    `imported ${count('users').toLocaleString('en-US')} users, ${count('enrollments').toLocaleString('en-US')} enrollments in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  // What autovacuum does soon after a bulk load: statistics, and the visibility map that lets page
  // offsets and counts run as index-only scans. Timed separately, not part of the import figure.
  const v0 = performance.now();
  await sql`VACUUM (ANALYZE) roster_records`.execute(database.db);
  console.log(`vacuum + analyze after the load: ${((performance.now() - v0) / 1000).toFixed(1)} s`);

  // One client drives all the load here: the per-client rate limit and the in-flight cap would only measure themselves.
  const { app, vault } = benchApp(database, { onerosterRateLimitPerSecond: 0, onerosterMaxInFlight: 0 });
  const scope = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';
  const client = await createOAuthClient(database.db, vault, cliContext, tenantId, { scopes: [scope] });
  const e = await listen(app);
  const tokenRes = await fetch(`${e.base}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  const headers = { Authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}` };

  // The baseline serves a real /users page, pre-built: what the same bytes cost without a database.
  const page = await (await fetch(`${e.base}${R12}/users?limit=100&offset=5000`, { headers })).text();
  const bare = express();
  bare.get('/users', (_req, res) => {
    res.type('application/json').set('X-Total-Count', '1').send(page);
  });
  const b = await listen(bare);

  const users = count('users');
  // An offset in [0, n) — 0 when a small district has fewer records than a page (a negative offset is a 400).
  const random = (n: number) => Math.floor(Math.random() * Math.max(1, n));
  const classIds = (
    await sql<{
      id: string;
    }>`SELECT sourced_id AS id FROM roster_records WHERE tenant_id = ${tenantId}::uuid AND file = 'classes' ORDER BY random() LIMIT 200`.execute(database.db)
  ).rows.map((r) => r.id);
  const recent = new Date(Date.now() - 60_000).toISOString();
  const filter = (f: string) => encodeURIComponent(f);
  const cases: [string, Record<string, unknown>][] = [
    ['bare Express, pre-built /users page (baseline)', { url: `${b.base}/users` }],
    [
      'GET /users?limit=100 at random offsets',
      { urls: Array.from({ length: 200 }, () => `${e.base}${R12}/users?limit=100&offset=${random(users - 100)}`), headers },
    ],
    [
      "GET /users?filter=role='student' AND familyName~'smi'",
      { url: `${e.base}${R12}/users?filter=${filter("role='student' AND familyName~'smi'")}`, headers },
    ],
    ['GET /classes/{id}/students', { urls: classIds.map((id) => `${e.base}${R12}/classes/${encodeURIComponent(id)}/students`), headers }],
    [`GET /enrollments?filter=dateLastModified>'…'`, { url: `${e.base}${R12}/enrollments?filter=${filter(`dateLastModified>'${recent}'`)}`, headers }],
  ];
  await load({ url: `${b.base}/users`, count: 300, concurrency: CONCURRENCY });
  await load({ url: `${e.base}${R12}/users?limit=100`, headers, count: 300, concurrency: CONCURRENCY });
  let baseline = 0;
  for (const [name, options] of cases) {
    const r = await load({ count: REQUESTS, concurrency: CONCURRENCY, ...options });
    if (baseline === 0) baseline = r.rps;
    console.log(
      `${name.padEnd(58)} ${r.rps.toFixed(0).padStart(6)} req/s  ratio ${(r.rps / baseline).toFixed(3)}  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  errors ${r.errors}  (target p99 ≤ 100 ms; /users ratio ≥ 0.50)`,
    );
  }
  const big = await load({ url: `${e.base}${R12}/enrollments?limit=10000&offset=${random(count('enrollments') - 10_000)}`, headers, count: 5, concurrency: 1 });
  console.log(
    `GET /enrollments?limit=10000 (one client, 5 runs)${' '.repeat(10)} p50 ${big.p50Ms.toFixed(0)} ms  max ${big.p99Ms.toFixed(0)} ms  errors ${big.errors}  (target ≤ 1,000 ms)`,
  );
  b.server.close();
  e.server.close();
} finally {
  await database.close();
  rmSync(work, { recursive: true, force: true });
}
