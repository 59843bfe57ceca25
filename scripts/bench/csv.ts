/**
 * OneRoster CSV benchmark (npm run bench:csv [-- --students N]). On one generated district, in one run:
 *   bare csv-parse over every file                 → baseline for `validate`   (target ≥ 0.80)
 *   validate alone                                 → rows/s and ratio to the baseline
 *   raw COPY of the same files into plain tables   → baseline for PostgreSQL import (target ≤ 2.0×)
 *   full validate + import (PostgreSQL, PGlite)    → seconds, rows/s, ratio; PGlite target ≥ 50,000 rows/s
 *   a 1% delta package                             → seconds, ratio to the bulk import (target ≤ 0.10)
 *   peak RSS of the process                        → target ≤ 400 MB
 * PostgreSQL runs when DATABASE_URL is set; PGlite runs unless --skip-pglite (file-backed, as in production).
 */
import { execFile } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { importPackage } from '../../src/oneroster/csv/import/import-package.js';
import { validatePackage } from '../../src/oneroster/csv/validate-package.js';
import { openDirectory } from '../../src/packaging/open-directory.js';
import { projectRoot } from '../../src/paths.js';
import type { TenantId } from '../../src/tenancy/ids.js';
import { createTenant } from '../../src/tenancy/tenants.js';
import { cliContext } from '../../src/testing/test-app.js';
import { freshDatabase } from '../../src/testing/test-database.js';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const STUDENTS = arg('students', 120_000);
/** --skip-pglite: measure PostgreSQL only (PGlite takes several minutes at full size). */
const SKIP_PGLITE = process.argv.includes('--skip-pglite');

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const dir = mkdtempSync(join(tmpdir(), 'edhub-bench-csv-'));
const pkgDir = join(dir, 'bulk');
const deltaDir = join(dir, 'delta');
try {
  console.log(`OneRoster CSV benchmark — ${STUDENTS.toLocaleString('en-US')} students, node ${process.version}`);
  // Generated in a child process, so the memory it used does not count against this one.
  const gen = await timed(() =>
    run(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts/gen-district/main.ts'), '--students', String(STUDENTS), '--out', pkgDir], {
      maxBuffer: 1 << 20,
    }),
  );
  const files = readdirSync(pkgDir).filter((f) => f.endsWith('.csv') && f !== 'manifest.csv');
  const counts = await Promise.all(files.map(async (f) => ({ name: f.slice(0, -4), rows: await lineCount(join(pkgDir, f)) })));
  const rows = counts.reduce((a, c) => a + c.rows, 0);
  const count = (name: string) => counts.find((c) => c.name === name)?.rows ?? 0;
  console.log(`generated ${fmt(rows)} rows (${fmt(count('users'))} users, ${fmt(count('enrollments'))} enrollments) in ${gen.seconds.toFixed(1)} s`);
  await writeDelta(pkgDir, deltaDir);

  // Baseline 1: bare csv-parse streaming every file.
  const bare = await timed(async () => {
    let n = 0;
    for (const f of files) for await (const _ of createReadStream(join(pkgDir, f)).pipe(parse({ relax_column_count: true }))) n++;
    return n;
  });
  const validate = await timed(async () => validatePackage(await openDirectory(pkgDir)));
  if (!validate.value.valid) throw new Error(`the generated package is invalid: ${JSON.stringify(validate.value.diagnostics.slice(0, 3))}`);
  const bareRate = bare.value / bare.seconds;
  const validateRate = rows / validate.seconds;
  console.log(`bare csv-parse            ${bare.seconds.toFixed(2).padStart(7)} s  ${fmt(bareRate).padStart(9)} rows/s`);
  console.log(
    `validate                  ${validate.seconds.toFixed(2).padStart(7)} s  ${fmt(validateRate).padStart(9)} rows/s  ratio ${(validateRate / bareRate).toFixed(2)} of bare csv-parse (target ≥ 0.80)`,
  );

  if (process.env.DATABASE_URL) {
    const db = await freshDatabase();
    try {
      const copy = await timed(() => rawCopy(db.url as string, pkgDir, files));
      const result = await importInto(db, pkgDir, deltaDir);
      console.log(`PostgreSQL raw COPY       ${copy.seconds.toFixed(2).padStart(7)} s  ${fmt(rows / copy.seconds).padStart(9)} rows/s`);
      report('PostgreSQL', rows, result, copy.seconds);
    } finally {
      await db.close();
    }
  }
  if (!SKIP_PGLITE) {
    const pglite = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      await migrate(pglite.db);
      report('PGlite', rows, await importInto(pglite, pkgDir, deltaDir));
    } finally {
      await pglite.close();
    }
  }
  console.log(`peak RSS                  ${fmt(peakRss / 1024 / 1024)} MB (target ≤ 400 MB)`);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

interface ImportTimes {
  bulk: number;
  again: number;
  delta: number;
  deltaRows: number;
}

async function importInto(db: DatabaseHandle, bulkDir: string, deltaPkgDir: string): Promise<ImportTimes> {
  const tenantId = (await createTenant(db.db, cliContext, 'Bench')).id as TenantId;
  const one = async (path: string) => {
    const r = await timed(async () => importPackage(db.db, await openDirectory(path), { tenantId, sourceName: path, ctx: cliContext, copyIn: db.copyIn }));
    if (r.value.status !== 'succeeded') throw new Error(`import failed: ${JSON.stringify(r.value.report.diagnostics.slice(0, 3))}`);
    return r;
  };
  const bulk = await one(bulkDir);
  const again = await one(bulkDir);
  const delta = await one(deltaPkgDir);
  const n = await sql<{ n: string }>`SELECT count(*) AS n FROM roster_records WHERE tenant_id = ${tenantId}::uuid`.execute(db.db);
  if (Number(n.rows[0]?.n) === 0) throw new Error('nothing was imported');
  return { bulk: bulk.seconds, again: again.seconds, delta: delta.seconds, deltaRows: Object.values(delta.value.counts).reduce((a, c) => a + c.rows, 0) };
}

function report(name: string, rows: number, t: ImportTimes, copySeconds?: number): void {
  const pad = (s: string) => s.padEnd(26);
  console.log(
    `${pad(`${name} import (bulk)`)}${t.bulk.toFixed(2).padStart(7)} s  ${fmt(rows / t.bulk).padStart(9)} rows/s${copySeconds ? `  ratio ${(t.bulk / copySeconds).toFixed(2)}× raw COPY (target ≤ 2.0×)` : '  (PGlite target ≥ 50,000 rows/s)'}`,
  );
  console.log(`${pad(`${name} re-import (same)`)}${t.again.toFixed(2).padStart(7)} s  ${fmt(rows / t.again).padStart(9)} rows/s  (writes nothing)`);
  console.log(
    `${pad(`${name} 1% delta`)}${t.delta.toFixed(2).padStart(7)} s  ${fmt(t.deltaRows).padStart(9)} rows  ratio ${(t.delta / t.bulk).toFixed(3)} of bulk (target ≤ 0.10)`,
  );
}

/** COPY of every file into a plain text table through psql's \copy: PostgreSQL parsing the same CSV. */
async function rawCopy(url: string, pkg: string, files: string[]): Promise<void> {
  for (const f of files) {
    const header = firstLine(join(pkg, f)).split(',');
    const table = `raw_${f.replace('.csv', '').toLowerCase()}`;
    await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE TABLE ${table} (${header.map((h) => `"${h}" text`).join(', ')})`]);
    await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy ${table} FROM '${join(pkg, f)}' WITH (FORMAT csv, HEADER true)`]);
  }
}

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0] as string;
  } finally {
    closeSync(fd);
  }
}

/** Data rows of a CSV file (lines minus the header), streamed. */
async function lineCount(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) for (let i = (chunk as Buffer).indexOf(10); i >= 0; i = (chunk as Buffer).indexOf(10, i + 1)) n++;
  return n - 1;
}

/** A delta package: every 100th user and enrollment, with status and dateLastModified, users disabled. */
async function writeDelta(from: string, to: string): Promise<void> {
  mkdirSync(to, { recursive: true });
  const deltaFiles = ['users', 'enrollments'];
  const manifest = readFileSync(join(from, 'manifest.csv'), 'utf8')
    .split('\r\n')
    .map((line) => {
      const [key] = line.split(',');
      if (!key?.startsWith('file.')) return line;
      return `${key},${deltaFiles.includes(key.slice(5)) ? 'delta' : 'absent'}`;
    })
    .join('\r\n');
  writeFileSync(join(to, 'manifest.csv'), manifest);
  for (const file of deltaFiles) {
    const out = createWriteStream(join(to, `${file}.csv`));
    let n = 0;
    for await (const line of createInterface({ input: createReadStream(join(from, `${file}.csv`)), crlfDelay: Number.POSITIVE_INFINITY })) {
      if (n++ === 0) out.write(`${line}\r\n`);
      else if (n % 100 === 0) {
        // Base columns become active + a timestamp; for users, enabledUser (the next column) flips to false.
        const changed = line.replace(/^([^,]*),,,/, '$1,active,2026-06-01T00:00:00.000Z,');
        out.write(`${file === 'users' ? changed.replace(/(Z,)true,/, '$1false,') : changed}\r\n`);
      }
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
