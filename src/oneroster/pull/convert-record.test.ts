import assert from 'node:assert/strict';
import { MAX_ROW_CHARS, recordConverter } from './convert-record.js';
import type { Json } from './rest-values.js';

/** REST JSON → CSV cells, keyed by header column for readable assertions. */
function convert(version: '1.1' | '1.2', file: string, record: Json, mode: 'bulk' | 'delta' = 'bulk') {
  const problems: Array<[string, string, string]> = [];
  const c = recordConverter(version, file);
  const row = c.toRow(record, mode, (field, message, code = 'rest.shape') => problems.push([code, field, message]));
  const cells = Object.fromEntries(c.file.header.map((h, i) => [h, row.cells[i]]).filter(([, v]) => v !== ''));
  return { cells, metadata: row.metadata, problems, width: row.cells.length, header: c.file.header.length };
}

const ref = (type: string, sourcedId: string) => ({ href: `https://sis.example/${type}s/${sourcedId}`, sourcedId, type });

describe('OneRoster pull: REST record → CSV row', () => {
  it('fills every column of a 1.2 class from its GUIDRefs and lists (fact sheet §7.2, §8.1), blanking status and dateLastModified in bulk', () => {
    const r = convert('1.2', 'classes', {
      sourcedId: 'c1',
      status: 'active',
      dateLastModified: '2026-01-05T10:00:00Z',
      title: 'Algebra',
      classType: 'scheduled',
      course: ref('course', 'crs1'),
      school: ref('org', 'sch1'),
      terms: [ref('academicSession', 't1'), ref('academicSession', 't2')],
      periods: ['1', '2'],
      grades: ['09'],
      resources: [ref('resource', 'r1')],
      children: 'ignored: not a column',
      unknownVendorField: { x: 1 },
    });
    assert.deepEqual(r.cells, {
      sourcedId: 'c1',
      title: 'Algebra',
      grades: '09',
      courseSourcedId: 'crs1',
      classType: 'scheduled',
      schoolSourcedId: 'sch1',
      termSourcedIds: 't1,t2',
      periods: '1,2',
    });
    assert.equal(r.width, r.header);
    assert.deepEqual(r.problems, []);
  });

  it('keeps status and writes dateLastModified in the exact CSV form in a delta (fact sheet §8.2, §8.5)', () => {
    const r = convert(
      '1.2',
      'orgs',
      { sourcedId: 'o1', status: 'tobedeleted', dateLastModified: '2026-01-05T11:00:00+01:00', name: 'X', type: 'school' },
      'delta',
    );
    assert.deepEqual(r.cells, { sourcedId: 'o1', status: 'tobedeleted', dateLastModified: '2026-01-05T10:00:00.000Z', name: 'X', type: 'school' });
  });

  it('maps 1.2 users by the entity table: preferredFirstName → preferredGivenName, JSON booleans → "true", userIds → {type:id}', () => {
    const r = convert('1.2', 'users', {
      sourcedId: 'u1',
      enabledUser: true,
      username: 'lisa',
      givenName: 'Lisa',
      familyName: 'Simpson',
      preferredFirstName: 'Li',
      userIds: [{ type: 'SIS', identifier: '1001' }],
      primaryOrg: ref('org', 'sch1'),
      agents: [ref('user', 'u2')],
      roles: [{ roleType: 'primary', role: 'student', org: ref('org', 'sch1') }],
      metadata: { microsoft: { userFlags: 'ELL' }, 'edhub.grade': 5 },
    });
    assert.deepEqual(r.cells, {
      sourcedId: 'u1',
      enabledUser: 'true',
      username: 'lisa',
      userIds: '{SIS:1001}',
      givenName: 'Lisa',
      familyName: 'Simpson',
      agentSourcedIds: 'u2',
      preferredGivenName: 'Li',
      primaryOrgSourcedId: 'sch1',
    });
    assert.deepEqual(r.metadata, { 'microsoft.userFlags': 'ELL', 'edhub.grade': '5' });
  });

  it('writes 1.1 users in 1.1 columns: role and orgSourcedIds (fact sheet §7.5, §8.6)', () => {
    const r = convert('1.1', 'users', {
      sourcedId: 'u1',
      enabledUser: 'true',
      username: 'ed',
      givenName: 'Edna',
      familyName: 'K',
      role: 'administrator',
      orgs: [ref('org', 'sch1'), ref('org', 'sch2')],
    });
    assert.equal(r.cells.role, 'administrator');
    assert.equal(r.cells.orgSourcedIds, 'sch1,sch2');
  });

  it("line items: a 1.1 gradingPeriod fills gradingPeriodSourcedId; a 1.2 one without academicSession fills academicSessionSourcedId; date-times become the CSV's UTC dates", () => {
    const li = {
      sourcedId: 'li1',
      title: 'Quiz',
      assignDate: '2025-09-01T00:00:00.000Z',
      dueDate: '2025-09-08T23:30:00-05:00',
      class: ref('class', 'c1'),
      category: ref('category', 'cat1'),
      gradingPeriod: ref('academicSession', 'gp1'),
      resultValueMin: 0,
      resultValueMax: 10.5,
    };
    const v11 = convert('1.1', 'lineItems', li);
    assert.deepEqual(
      [v11.cells.gradingPeriodSourcedId, v11.cells.assignDate, v11.cells.dueDate, v11.cells.resultValueMax],
      ['gp1', '2025-09-01', '2025-09-09', '10.5'],
    );
    const v12 = convert('1.2', 'lineItems', li);
    assert.equal(v12.cells.academicSessionSourcedId, 'gp1');
    assert.equal(convert('1.2', 'lineItems', { ...li, academicSession: ref('academicSession', 'as1') }).cells.academicSessionSourcedId, 'as1');
  });

  it('reports values of the wrong shape against their JSON field and leaves them blank', () => {
    const r = convert('1.2', 'classes', {
      sourcedId: 'c1',
      title: { en: 'Algebra' },
      course: { href: 'x', type: 'course' },
      school: 'sch1',
      terms: ref('academicSession', 't1'),
      grades: ['09', '10,11'],
    });
    assert.deepEqual(r.problems, [
      ['rest.shape', 'title', 'must be a string, not an object'],
      ['rest.shape', 'grades/1', 'contains a comma, which a OneRoster CSV list cannot hold'],
      ['rest.shape', 'course/sourcedId', 'a GUIDRef needs a sourcedId string'],
      ['rest.shape', 'terms', 'must be an array, not an object'],
    ]);
    assert.deepEqual(r.cells, { sourcedId: 'c1', schoolSourcedId: 'sch1' }, 'a bare sourcedId string is read as a GUIDRef');
  });

  it('refuses line breaks (fact sheet §8.1) and values too long for one CSV row, naming the field', () => {
    const r = convert('1.2', 'orgs', { sourcedId: 'o1', name: 'Two\nLines', type: 'school', identifier: 'x'.repeat(10 * 1024 * 1024) });
    assert.deepEqual(
      r.problems.map(([code, field]) => [code, field]),
      [
        ['rest.line-break', 'name'],
        ['rest.too-long', 'identifier'],
      ],
    );
    assert.match(r.problems[1]?.[2] ?? '', /^is 10,485,760 characters long; a OneRoster CSV row may hold at most /);
    assert.deepEqual(r.cells, { sourcedId: 'o1', type: 'school' });
    assert.ok(MAX_ROW_CHARS < 1024 * 1024);
  });
});
