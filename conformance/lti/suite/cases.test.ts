import assert from 'node:assert/strict';
import { DEFAULT_DIRECTORY_FILE, loadDirectory } from '../emulator/options.js';
import { TamperTable } from '../emulator/tamper/tamper-table.js';
import { expectationOf, loadSuiteCases, parseSuiteCases, type SuiteCase, selectCases } from './cases.js';

const tampers = TamperTable.load();
const known = new Set(tampers.list().map((t) => t.id));
const cases = loadSuiteCases(known);
const byId = new Map(cases.map((c) => [c.id, c]));

function refused(data: unknown, message: RegExp) {
  assert.throws(() => parseSuiteCases(data, known, 'cases.json'), message);
}

const valid = { id: 'a-case', description: 'd', expected: 'reject', launch: { tamper: ['no-kid'] } };

describe('suite cases (conformance/lti/suite/lti-tool-cases.json)', () => {
  it('holds every case of the brief: each invalid case mapped to its tamper and expected reject, with its certification name', () => {
    const rejects: [string, string, string | undefined][] = [
      ['no-kid', 'no-kid', 'Correct KID Required in Header'],
      ['unknown-kid', 'unknown-kid', 'Incorrect KID passed in JWT Header'],
      ['alg-none', 'alg-none', undefined],
      ['hs256-public-key', 'hs256-public-key', undefined],
      ['not-a-jwt', 'not-a-jwt', 'JWT Passed is Not LTI 1.3 JWT'],
      ['wrong-version', 'wrong-version', 'LTI version passed is not 1.3'],
      ['missing-version', 'missing-version', 'No LTI Version Passed'],
      ['exp-iat-invalid', 'exp-iat-invalid', 'Exp and Iat Fields invalid'],
      ['missing-message-type', 'missing-message-type', 'message_type Claim Missing'],
      ['missing-roles', 'missing-roles', 'role Claim Missing'],
      ['missing-deployment-id', 'missing-deployment-id', 'deployment_id Claim Missing'],
      ['missing-sub', 'missing-sub', undefined],
      ['empty-sub', 'empty-sub', 'user Claim Missing'],
      ['missing-resource-link-id', 'missing-resource-link-id', 'Launch With Missing resource_link_id'],
      ['missing-required-claims', 'missing-required-claims', 'One or more JWT fields missing'],
      ['replayed-nonce', 'replayed-nonce', undefined],
      ['wrong-nonce', 'wrong-nonce', undefined],
      ['state-mismatch', 'state-mismatch', undefined],
      ['wrong-aud', 'wrong-aud', undefined],
      ['extra-aud', 'extra-aud', undefined],
      ['azp-mismatch', 'azp-mismatch', undefined],
      ['wrong-iss', 'wrong-iss', undefined],
      ['foreign-signature', 'foreign-signature', undefined],
      ['unknown-deployment', 'unknown-deployment', undefined],
      ['target-link-outside-tool', 'target-link-outside-tool', undefined],
    ];
    for (const [id, tamper, cert] of rejects) {
      const c = byId.get(id);
      assert.ok(c, id);
      assert.deepEqual([c.expected, c.launch.tamper, c.cert], ['reject', [tamper], cert], id);
      // the certification name is the tamper table's, where it has one
      assert.equal(c.cert, tampers.get(tamper).cert, id);
    }
    assert.equal(byId.get('replayed-nonce')?.before, 'accepted-launch');
  });

  it('holds the valid launches, expected accept, each with a user of the default directory', () => {
    const accepts: [string, string, Partial<SuiteCase['launch']>][] = [
      ['instructor', 'instructor', {}],
      ['student', 'student', {}],
      ['no-pii', 'student-no-pii', {}],
      ['only-email', 'student-only-email', {}],
      ['only-names', 'instructor-only-names', {}],
      ['no-role', 'no-role', {}],
      ['multiple-roles', 'multiple-roles', {}],
      ['short-role', 'short-role', {}],
      ['unknown-role', 'unknown-role', {}],
      ['mentor', 'mentor', {}],
      ['no-context', 'instructor', { contextId: null }],
      ['array-audience', 'student', { audience: 'array' }],
      ['deep-linking-request', 'instructor', { messageType: 'LtiDeepLinkingRequest' }],
    ];
    for (const [id, userId, extra] of accepts) {
      const c = byId.get(id);
      assert.deepEqual([c?.expected, c?.launch], ['accept', { userId, ...extra }], id);
    }
    const users = new Set(loadDirectory(DEFAULT_DIRECTORY_FILE).users.map((u) => u.id));
    for (const c of cases) if (c.launch.userId) assert.ok(users.has(c.launch.userId), `${c.id}: ${c.launch.userId}`);
    assert.deepEqual([cases.length, cases.filter((c) => c.expected === 'reject').length], [43, 30]);
  });

  it('records why a launch without sub is expected refused, and expects it accepted when the tool offers anonymous launches', () => {
    const c = byId.get('missing-sub') as SuiteCase;
    assert.match(c.description, /CORE §5\.3\.6/);
    assert.match(c.description, /--anonymous-launches/);
    assert.equal(expectationOf(c, { anonymousLaunches: false }), 'reject');
    assert.equal(expectationOf(c, { anonymousLaunches: true }), 'accept');
    assert.equal(expectationOf(byId.get('empty-sub') as SuiteCase, { anonymousLaunches: true }), 'reject');
  });

  it('refuses malformed tables with the reason', () => {
    refused(null, /expected a non-empty "cases" array/);
    refused({ cases: [] }, /expected a non-empty "cases" array/);
    refused({ cases: ['x'] }, /cases\[0\]: a case is an object/);
    refused({ cases: [{ ...valid, id: 'Not_Kebab' }] }, /id must be kebab-case/);
    refused({ cases: [valid, valid] }, /cases\[1\]: duplicate id "a-case"/);
    refused({ cases: [{ ...valid, expect: 'reject' }] }, /unknown key "expect"/);
    refused({ cases: [{ ...valid, description: '' }] }, /needs a description/);
    refused({ cases: [{ ...valid, expected: 'refuse' }] }, /expected: must be "accept" or "reject"/);
    refused({ cases: [{ ...valid, anonymousLaunchExpected: 'maybe' }] }, /anonymousLaunchExpected: must be "accept" or "reject"/);
    refused({ cases: [{ ...valid, before: 'something' }] }, /before must be "accepted-launch"/);
    refused({ cases: [{ ...valid, cert: '' }] }, /cert must be a non-empty string/);
    refused({ cases: [{ ...valid, launch: [] }] }, /launch: must be an object/);
    refused({ cases: [{ ...valid, launch: { tamper: ['no-such-tamper'] } }] }, /launch: unknown tamper "no-such-tamper"/);
    refused({ cases: [{ ...valid, launch: { tamper: 'no-kid' } }] }, /tamper must be a list/);
    refused({ cases: [{ ...valid, launch: { messageType: 'LtiFooRequest' } }] }, /unknown messageType "LtiFooRequest"/);
    refused({ cases: [{ ...valid, launch: { contextId: 7 } }] }, /contextId must be a string or null/);
    refused({ cases: [{ ...valid, launch: { audience: 'both' } }] }, /audience must be "string" or "array"/);
    refused({ cases: [{ ...valid, launch: { user: 'instructor' } }] }, /launch: unknown key "user"/);
    assert.equal(parseSuiteCases({ cases: [{ ...valid, $comment: 'allowed' }] }, known, 'x').length, 1);
  });

  it('selects cases by id in table order, and refuses an id that names no case', () => {
    assert.deepEqual(
      selectCases(cases, ['student', 'no-kid']).map((c) => c.id),
      ['no-kid', 'student'],
    );
    assert.equal(selectCases(cases, []).length, 43);
    assert.throws(() => selectCases(cases, ['no-kid', 'nope', 'nah']), /^Error: no case "nope", "nah"; known: no-kid, /);
  });
});
