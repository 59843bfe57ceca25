import assert from 'node:assert/strict';
import { contextRoleKind, normaliseRoles, roleLabel } from './roles.js';

const M = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

describe('LIS roles (fact sheet §5, standards/lti/roles.json)', () => {
  it('normalises short context role names, drops empty entries and duplicates, keeps unknown URIs', () => {
    assert.deepEqual(normaliseRoles(['Instructor', ` ${M}Instructor `, '', 'Learner', 'urn:x:Wizard']), [`${M}Instructor`, `${M}Learner`, 'urn:x:Wizard']);
  });

  it('maps context roles and sub-roles to EdHub kinds by precedence; institution roles alone are "other"', () => {
    assert.equal(contextRoleKind([`${M}Learner`]), 'student');
    assert.equal(contextRoleKind(['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant']), 'teacher');
    assert.equal(contextRoleKind([`${M}Learner`, `${M}Instructor`]), 'teacher');
    assert.equal(contextRoleKind([`${M}Administrator`, `${M}Instructor`]), 'administrator');
    assert.equal(contextRoleKind([`${M}Mentor`]), 'guardian');
    assert.equal(contextRoleKind(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student']), 'other');
    assert.equal(contextRoleKind([]), 'other');
  });

  it('labels roles for people', () => {
    assert.equal(roleLabel(`${M}Instructor`), 'Instructor');
    assert.equal(roleLabel('http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty'), 'institution: Faculty');
    assert.equal(roleLabel('urn:x:Wizard'), 'urn:x:Wizard');
  });
});
