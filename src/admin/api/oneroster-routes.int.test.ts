import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { validatePackage } from '../../oneroster/csv/validate-package.js';
import { openZipBuffer } from '../../packaging/open-zip.js';
import { createZipWriter } from '../../packaging/write-zip.js';
import type { TenantId } from '../../tenancy/ids.js';
import { collect } from '../../testing/collect.js';
import { type Rows, samplePackage, sampleRows } from '../../testing/oneroster-sample.js';
import { type TestApp, testApp } from '../../testing/test-app.js';

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const w = createZipWriter();
  for (const [name, text] of Object.entries(files)) w.addBuffer(name, Buffer.from(text, 'utf8'));
  return collect(w.end());
}

describe('OneRoster CSV over HTTP', () => {
  let t: TestApp;
  let tenantId: TenantId;
  let adminKey: string;
  const as = (r: ReturnType<TestApp['http']['get']>) => r.auth(adminKey, { type: 'bearer' });

  before(async () => {
    t = await testApp({ uploadLimitBytes: 64 * 1024 });
    ({ tenantId, adminKey } = await t.tenantWithAdmin('Upload District'));
  });
  after(() => t.close());

  /** Polls an import until it leaves `running`. */
  async function settled(id: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 200; i++) {
      const r = await as(t.http.get(`/api/v1/oneroster/imports/${id}`)).expect(200);
      if (r.body.status !== 'running') return r.body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('import did not finish');
  }

  it('accepts a raw zip upload with 202 and a Location, and the import succeeds with counts per file', async () => {
    const res = await as(t.http.post('/api/v1/oneroster/imports'))
      .set('Content-Type', 'application/zip')
      .send(await zipOf(samplePackage('1.2')))
      .expect(202);
    assert.equal(res.headers.location, `/api/v1/oneroster/imports/${res.body.id}`);
    assert.equal(res.body.tenantId, tenantId);
    const done = await settled(res.body.id);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual((done.counts as Record<string, unknown>).users, { rows: 3, inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
  });

  it('accepts a multipart upload (the zip as the file part); an identical package changes nothing', async () => {
    const res = await as(t.http.post('/api/v1/oneroster/imports'))
      .attach('file', await zipOf(samplePackage('1.2')), 'district.zip')
      .expect(202);
    const done = await settled(res.body.id);
    assert.equal(done.sourceName, 'district.zip');
    assert.deepEqual((done.counts as Record<string, unknown>).users, { rows: 3, inserted: 0, updated: 0, unchanged: 3, deleted: 0 });
  });

  it('records a failed import with its diagnostics, paged, and changes nothing', async () => {
    const rows = sampleRows('1.2');
    for (let i = 0; i < 30; i++) (rows.orgs as Rows).push({ sourcedId: `bad-${i}`, name: '', type: 'school' });
    const res = await as(t.http.post('/api/v1/oneroster/imports'))
      .set('Content-Type', 'application/zip')
      .send(await zipOf(samplePackage('1.2', rows)))
      .expect(202);
    const done = await settled(res.body.id);
    assert.equal(done.status, 'failed');
    assert.equal(done.errorCount, 30);
    const page = await as(t.http.get(`/api/v1/oneroster/imports/${res.body.id}?offset=10&limit=5`)).expect(200);
    assert.deepEqual(page.body.diagnostics.offset, 10);
    assert.deepEqual(
      page.body.diagnostics.items.map((d: { line: number; column: string; code: string }) => `${d.line}:${d.column}:${d.code}`),
      ['14:name:value.required', '15:name:value.required', '16:name:value.required', '17:name:value.required', '18:name:value.required'],
    );
    const orgs = await t.database.db
      .selectFrom('roster_records')
      .select('sourced_id')
      .where('file', '=', 'orgs')
      .where('sourced_id', 'like', 'bad-%')
      .execute();
    assert.deepEqual(orgs, []);
  });

  it('refuses what is not a package: 422 for a non-zip, 415 for CSV, 413 past the upload limit, 400 for a form without a file', async () => {
    const notZip = await as(t.http.post('/api/v1/oneroster/imports'))
      .set('Content-Type', 'application/zip')
      .send(Buffer.from('sourcedId,status\n'))
      .expect(422);
    assert.equal(notZip.body.type, 'urn:edhub:problem:invalid-package');
    assert.match(notZip.body.detail, /\[not-a-zip\]$/);
    const csv = await as(t.http.post('/api/v1/oneroster/imports')).set('Content-Type', 'text/csv').send('a,b\n').expect(415);
    assert.equal(csv.body.type, 'urn:edhub:problem:unsupported-media-type');
    const big = await as(t.http.post('/api/v1/oneroster/imports'))
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(70 * 1024, 1))
      .expect(413);
    assert.equal(big.body.detail, 'the upload exceeds the limit of 65536 bytes');
    const bigForm = await as(t.http.post('/api/v1/oneroster/imports'))
      .attach('file', Buffer.alloc(70 * 1024, 1), 'big.zip')
      .expect(413);
    assert.equal(bigForm.body.type, 'urn:edhub:problem:payload-too-large');
    const noFile = await as(t.http.post('/api/v1/oneroster/imports')).field('note', 'x').expect(400);
    assert.equal(noFile.body.detail, 'the multipart body has no file part');
  });

  it("keeps imports per tenant: another tenant's import id is 404", async () => {
    const other = await t.tenantWithAdmin('Other District');
    const mine = await as(t.http.get('/api/v1/oneroster/imports')).expect(200);
    const id = mine.body.items[0].id as string;
    await t.http.get(`/api/v1/oneroster/imports/${id}`).auth(other.adminKey, { type: 'bearer' }).expect(404);
    await t.http.get(`/api/v1/oneroster/imports/${randomUUID()}`).auth(other.adminKey, { type: 'bearer' }).expect(404);
    const theirs = await t.http.get('/api/v1/oneroster/imports').auth(other.adminKey, { type: 'bearer' }).expect(200);
    assert.deepEqual(theirs.body, { items: [], nextCursor: null });
  });

  it('streams an export that passes the validator; a platform administrator must name the tenant', async () => {
    const res = await as(t.http.get('/api/v1/oneroster/exports?version=1.2'))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(res.headers['content-disposition'] ?? '', /^attachment; filename="oneroster-1\.2-bulk-\d{4}-\d{2}-\d{2}\.zip"$/);
    const report = await validatePackage(await openZipBuffer(res.body as Buffer));
    assert.deepEqual(report.diagnostics, []);
    const missing = await as(t.http.get('/api/v1/oneroster/exports')).expect(400);
    assert.equal(missing.body.errors[0].pointer, '/version');
    const platform = await t.platformKey();
    const noTenant = await t.http.get('/api/v1/oneroster/exports?version=1.1').auth(platform, { type: 'bearer' }).expect(400);
    assert.equal(noTenant.body.errors[0].pointer, '/tenantId');
    await t.http.get(`/api/v1/oneroster/exports?version=1.1&tenantId=${tenantId}`).auth(platform, { type: 'bearer' }).expect(200);
  });
});
