import assert from 'node:assert/strict';
import type { TenantId } from '../../../tenancy/ids.js';
import { memoryPackage } from '../../../testing/memory-package.js';
import { type Rows, sampleGradebookRows, samplePackage, sampleRows } from '../../../testing/oneroster-sample.js';
import { cliContext, type TestApp, testApp } from '../../../testing/test-app.js';
import { importPackage } from '../../csv/import/import-package.js';
import type { RestVersion } from '../rest-tables.js';
import type { Json } from './component-schemas.js';
import { type DiscoveryDocument, discoveryDocuments } from './documents.js';
import { createSchemaValidator } from './schema-validator.js';

const V12 = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';
const V11 = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';

/** The schema a document gives for the 200 of `GET path` (a concrete path, matched against the templates). */
function okSchemaOf(doc: Json, base: string, path: string): string {
  const below = path.slice(base.length);
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    const re = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    if (!re.test(below) || !item.get) continue;
    const content = ((item.get.responses as Record<string, Json>)['200'] as Json).content as Record<string, { schema: { $ref: string } }>;
    return (content['application/json']?.schema.$ref ?? '').split('/').pop() as string;
  }
  throw new Error(`no GET operation for ${path}`);
}

describe('OneRoster discovery over HTTP, and EdHub responses against the generated schemas', () => {
  let t: TestApp;
  let tenantId: TenantId;
  const tokens = new Map<RestVersion, string>();

  before(async () => {
    t = await testApp({ baseUrl: 'https://edhub.example' });
    tenantId = (await t.tenantWithAdmin('Discovery District')).tenantId;
    const rows = sampleRows('1.2');
    const gradebook = sampleGradebookRows();
    Object.assign(gradebook.lineItems[0] as Rows[number], { resultValueMin: '0', resultValueMax: '10' });
    Object.assign(gradebook.results[1] as Rows[number], { scoreStatus: 'not submitted', late: 'true' });
    Object.assign(rows, gradebook);
    const r = await importPackage(t.database.db, memoryPackage(samplePackage('1.2', rows)), {
      tenantId,
      sourceName: 'sample.zip',
      ctx: cliContext,
      now: () => new Date('2026-01-10T08:00:00.000Z'),
      copyIn: t.database.copyIn,
    });
    assert.equal(r.status, 'succeeded', JSON.stringify(r.report.diagnostics));
    for (const [version, prefix] of [
      ['1.2', V12],
      ['1.1', V11],
    ] as const) {
      const names = ['roster.readonly', 'roster-demographics.readonly', 'gradebook.readonly', 'resource.readonly'];
      const c = await t.oauthClient(
        tenantId,
        names.map((n) => `${prefix}${n}`),
      );
      const tok = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send({ grant_type: 'client_credentials' });
      tokens.set(version, tok.body.access_token as string);
    }
  });
  after(() => t.close());

  it('serves every document under both names without a credential, as JSON with ETag and Cache-Control', async () => {
    for (const d of discoveryDocuments()) {
      for (const name of [d.file, ...d.aliases]) {
        const r = await t.http.get(`${d.base}/discovery/${name}`);
        assert.equal(r.status, 200, name);
        assert.match(r.headers['content-type'] ?? '', /^application\/json/);
        assert.equal(r.headers.etag, d.etag);
        assert.equal(r.headers['cache-control'], 'public, max-age=3600');
        assert.deepEqual(r.body, d.document);
      }
      const again = await t.http.get(`${d.base}/discovery/${d.file}`).set('If-None-Match', d.etag);
      assert.equal(again.status, 304);
    }
  });

  it('lists the documents of a base with absolute hrefs that serve them', async () => {
    const r = await t.http.get('/ims/oneroster/v1p1/discovery');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.documents.map((d: { file: string; href: string }) => [d.file, d.href]),
      [['onerosterv1p1service_openapi3_v1p0.json', 'https://edhub.example/ims/oneroster/v1p1/discovery/onerosterv1p1service_openapi3_v1p0.json']],
    );
  });

  it('answers an unknown discovery file with 404 imsx_StatusInfo unknownobject, credential or not', async () => {
    const r = await t.http.get('/ims/oneroster/resources/v1p2/discovery/openapi.yaml');
    assert.equal(r.status, 404);
    assert.equal(r.body.imsx_codeMajor, 'failure');
    assert.equal(r.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unknownobject');
    assert.match(r.body.imsx_description, /imsorv1p2_resources_openapi3_v1p0\.json/);
  });

  const samples: Record<RestVersion, string[]> = {
    '1.2': [
      '/ims/oneroster/rostering/v1p2/orgs',
      '/ims/oneroster/rostering/v1p2/schools/school-1',
      '/ims/oneroster/rostering/v1p2/academicSessions',
      '/ims/oneroster/rostering/v1p2/terms/term-1',
      '/ims/oneroster/rostering/v1p2/courses',
      '/ims/oneroster/rostering/v1p2/classes/class-math-a',
      '/ims/oneroster/rostering/v1p2/classes/class-math-a/students',
      '/ims/oneroster/rostering/v1p2/users',
      '/ims/oneroster/rostering/v1p2/teachers/teacher-1',
      '/ims/oneroster/rostering/v1p2/enrollments',
      '/ims/oneroster/rostering/v1p2/demographics/student-1',
      '/ims/oneroster/gradebook/v1p2/categories',
      '/ims/oneroster/gradebook/v1p2/lineItems/li-1',
      '/ims/oneroster/gradebook/v1p2/classes/class-math-a/lineItems/li-1/results',
      '/ims/oneroster/gradebook/v1p2/results',
      '/ims/oneroster/resources/v1p2/resources',
    ],
    '1.1': [
      '/ims/oneroster/v1p1/orgs/district-1',
      '/ims/oneroster/v1p1/users',
      '/ims/oneroster/v1p1/students/student-2',
      '/ims/oneroster/v1p1/classes',
      '/ims/oneroster/v1p1/enrollments',
      '/ims/oneroster/v1p1/lineItems',
      '/ims/oneroster/v1p1/results/res-2',
      '/ims/oneroster/v1p1/resources',
    ],
  };
  for (const version of ['1.2', '1.1'] as const) {
    it(`${version}: EdHub's own responses validate against the schemas its discovery documents publish`, async () => {
      for (const path of samples[version]) {
        const d = discoveryDocuments().find((x) => x.version === version && path.startsWith(`${x.base}/`)) as DiscoveryDocument;
        const r = await t.http.get(path).set('Authorization', `Bearer ${tokens.get(version)}`);
        assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
        const errors = createSchemaValidator(d.document).validate(okSchemaOf(d.document, d.base, path), r.body);
        assert.deepEqual(errors, [], `${path}: ${JSON.stringify(r.body).slice(0, 400)}`);
        const key = Object.keys(r.body)[0] ?? '';
        const records = Array.isArray(r.body[key]) ? r.body[key] : [r.body[key]];
        assert.ok(records.length > 0 || path.endsWith('/resources'), `${path} returned no records to validate`);
      }
    });
  }

  it("error bodies validate against each document's imsx_StatusInfoDType", async () => {
    for (const d of discoveryDocuments()) {
      const collection = d.services.includes('rostering') ? '/classes' : d.services.includes('gradebook') ? '/lineItems' : '/resources';
      const r = await t.http.get(`${d.base}${collection}?sort=shoeSize`).set('Authorization', `Bearer ${tokens.get(d.version)}`);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'invalid_sort_field');
      assert.deepEqual(createSchemaValidator(d.document).validate('imsx_StatusInfoDType', r.body), [], `${d.file}: ${JSON.stringify(r.body)}`);
    }
  });
});
