import assert from 'node:assert/strict';
import { oneRosterPath, serviceBaseUrl } from './base-url.js';
import type { OneRosterService, OneRosterVersion } from './options.js';

describe('OneRoster client: the base URL rule', () => {
  const cases: Array<[string, string, OneRosterVersion, OneRosterService, string]> = [
    [
      '(a) host prefix, 1.1: one v1p1 base for every service',
      'https://sis.example/ims/oneroster',
      '1.1',
      'gradebook',
      'https://sis.example/ims/oneroster/v1p1',
    ],
    ['(a) host prefix, 1.2: one base per service', 'https://sis.example/ims/oneroster', '1.2', 'rostering', 'https://sis.example/ims/oneroster/rostering/v1p2'],
    ['(a) host prefix, 1.2 gradebook', 'https://sis.example/ims/oneroster/', '1.2', 'gradebook', 'https://sis.example/ims/oneroster/gradebook/v1p2'],
    [
      '(a) under a tenant path',
      'https://sis.example/district-9/ims/oneroster',
      '1.2',
      'resources',
      'https://sis.example/district-9/ims/oneroster/resources/v1p2',
    ],
    ['(b) full 1.1 base, 1.1', 'https://sis.example/ims/oneroster/v1p1', '1.1', 'resources', 'https://sis.example/ims/oneroster/v1p1'],
    [
      '(b) full 1.1 base kept for a 1.2 client (ClassLink serves 1.2 on v1p1)',
      'https://classlink.example/ims/oneroster/v1p1/',
      '1.2',
      'gradebook',
      'https://classlink.example/ims/oneroster/v1p1',
    ],
    [
      '(c) full 1.2 rostering base, asked for gradebook',
      'https://sis.example/ims/oneroster/rostering/v1p2',
      '1.2',
      'gradebook',
      'https://sis.example/ims/oneroster/gradebook/v1p2',
    ],
    [
      '(c) full 1.2 gradebook base, asked for rostering',
      'https://sis.example/ims/oneroster/gradebook/v1p2',
      '1.2',
      'rostering',
      'https://sis.example/ims/oneroster/rostering/v1p2',
    ],
    [
      '(c) full 1.2 base, same service',
      'https://sis.example/ims/oneroster/resources/v1p2',
      '1.2',
      'resources',
      'https://sis.example/ims/oneroster/resources/v1p2',
    ],
    ['anything else: as is, for every service', 'https://api.vendor.example/oneroster/api', '1.2', 'gradebook', 'https://api.vendor.example/oneroster/api'],
    ['anything else, 1.1', 'https://api.vendor.example/or11/', '1.1', 'rostering', 'https://api.vendor.example/or11'],
  ];
  for (const [title, base, version, service, expected] of cases) {
    it(title, () => assert.equal(serviceBaseUrl(base, version, service), expected));
  }

  it('oneRosterPath percent-encodes each interpolated sourcedId as one path segment', () => {
    assert.equal(oneRosterPath`/classes/${'c 1/x?y'}/students`, '/classes/c%201%2Fx%3Fy/students');
    assert.equal(oneRosterPath`/users`, '/users');
  });
});
