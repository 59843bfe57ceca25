import assert from 'node:assert/strict';
import { parse as parseQueryString } from 'node:querystring';
import { type QueryCodeMinor, QueryError } from './errors.js';
import { type ListQueryOptions, parseFieldsParam, parseListQuery } from './query-params.js';

const options: ListQueryOptions = {
  version: '1.2',
  defaultLimit: 100,
  maxLimit: 5000,
  sortable: (name) => ['sourcedId', 'familyName', 'dateLastModified'].includes(name),
  selectable: (name) => ['sourcedId', 'status', 'givenName', 'familyName'].includes(name),
};

/** The query exactly as Express's simple query parser (node:querystring) gives it. */
const list = (queryString: string, overrides: Partial<ListQueryOptions> = {}) => parseListQuery(parseQueryString(queryString), { ...options, ...overrides });

function assertRejected(queryString: string, codeMinor: QueryCodeMinor, message: RegExp, overrides: Partial<ListQueryOptions> = {}) {
  assert.throws(
    () => list(queryString, overrides),
    (error: unknown) => {
      assert.ok(error instanceof QueryError);
      assert.equal(error.codeMinor, codeMinor);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('OneRoster collection query parameters (fact sheet §3)', () => {
  it('defaults: the configured page size, offset 0, ascending, no sort, fields or filter', () => {
    assert.deepEqual(list(''), { limit: 100, offset: 0, orderBy: 'asc' });
  });

  it('reads every parameter and ignores unknown ones (cache-busters)', () => {
    const query = list('limit=10&offset=20&sort=familyName&orderBy=DESC&fields=sourcedId,%20givenName&filter=status%3D%27active%27&_=1700000000');
    assert.deepEqual(query, {
      limit: 10,
      offset: 20,
      sort: 'familyName',
      orderBy: 'desc',
      fields: ['sourcedId', 'givenName'],
      filter: { kind: 'clause', field: 'status', predicate: '=', value: 'active' },
    });
  });

  it('serves limit=10000 (Google, SDS) at the maximum page size instead of refusing it', () => {
    assert.equal(list('limit=10000').limit, 5000);
    assert.equal(list('limit=99999999999999999999999').limit, 5000);
    assert.equal(list('limit=5000').limit, 5000);
    assert.equal(list('', { defaultLimit: 9000 }).limit, 5000);
  });

  it('accepts offset 0 and the largest int32, with leading zeros', () => {
    assert.equal(list('offset=0').offset, 0);
    assert.equal(list('offset=2147483647').offset, 2147483647);
    assert.equal(list('limit=007').limit, 7);
  });

  it('rejects a limit or offset that is not a whole number in range, or repeated, with invaliddata', () => {
    assertRejected('limit=0', 'invaliddata', /^The limit parameter must be a whole number of at least 1; got '0'\.$/);
    assertRejected('limit=-1', 'invaliddata', /limit parameter must be a whole number of at least 1; got '-1'/);
    assertRejected('limit=1.5', 'invaliddata', /got '1\.5'/);
    assertRejected('limit=1e3', 'invaliddata', /got '1e3'/);
    assertRejected('limit=', 'invaliddata', /limit parameter must be a whole number of at least 1; got ''/);
    assertRejected('limit=%2010', 'invaliddata', /got ' 10'/);
    assertRejected('offset=-1', 'invaliddata', /^The offset parameter must be a whole number of at least 0; got '-1'\.$/);
    assertRejected('offset=abc', 'invaliddata', /offset parameter .* got 'abc'/);
    assertRejected('offset=2147483648', 'invaliddata', /^The offset parameter may be at most 2147483647; got 2147483648\.$/);
    assertRejected('limit=1&limit=2', 'invaliddata', /^The limit parameter is given 2 times; give it once\.$/);
    assertRejected('offset=1&offset=1&offset=1', 'invaliddata', /offset parameter is given 3 times/);
  });

  it('sort: a sortable field; anything else is invalid_sort_field', () => {
    assert.equal(list('sort=dateLastModified').sort, 'dateLastModified');
    assertRejected('sort=password', 'invalid_sort_field', /^The sort parameter names 'password', which is not a field this endpoint can sort on\.$/);
    assertRejected('sort=', 'invalid_sort_field', /names '', which is not a field/);
    assertRejected('sort=familyName&sort=sourcedId', 'invalid_sort_field', /sort parameter is given 2 times/);
  });

  it('orderBy: asc or desc in any case, allowed (and ignored) without sort', () => {
    assert.equal(list('orderBy=Desc').orderBy, 'desc');
    assert.deepEqual(list('orderBy=ASC'), { limit: 100, offset: 0, orderBy: 'asc' });
    assertRejected('sort=familyName&orderBy=descending', 'invalid_sort_field', /^The orderBy parameter must be asc or desc; got 'descending'\.$/);
    assertRejected('orderBy=', 'invalid_sort_field', /must be asc or desc; got ''/);
    assertRejected('orderBy=asc&orderBy=desc', 'invalid_sort_field', /orderBy parameter is given 2 times/);
  });

  it('filter: parsed for the endpoint version; repeated or malformed is invalid_filter_field', () => {
    assert.equal(list("filter=a%3D'1'%20AND%20b%3D'2'%20AND%20c%3D'3'").filter?.kind, 'and');
    assertRejected("filter=a%3D'1'%20AND%20b%3D'2'%20AND%20c%3D'3'", 'invalid_filter_field', /OneRoster 1\.1 allows at most one logical operator/, {
      version: '1.1',
    });
    assertRejected("filter=status%3D'active'&filter=role%3D'student'", 'invalid_filter_field', /^The filter parameter is given 2 times; give it once\.$/);
    assertRejected('filter=', 'invalid_filter_field', /^Invalid filter at position 1: the filter is empty/);
    assertRejected('filter=status%3Dactive', 'invalid_filter_field', /position 8: expected a value in single quotes/);
  });

  it('fields: trimmed, empty entries skipped, repeats dropped, repeated parameters merged', () => {
    assert.deepEqual(list('fields=%20givenName%20,,sourcedId,givenName,').fields, ['givenName', 'sourcedId']);
    assert.deepEqual(list('fields=givenName&fields=status,givenName').fields, ['givenName', 'status']);
    assert.equal(list('fields=,%20,').fields, undefined);
    assertRejected('fields=sourcedId,password', 'invalid_selection_field', /^The fields parameter names 'password', which is not a field of this endpoint\.$/);
  });
});

describe('OneRoster fields on a single-object GET', () => {
  const selectable = (name: string) => name === 'sourcedId' || name === 'givenName';

  it('is undefined when absent or empty, and a list otherwise', () => {
    assert.equal(parseFieldsParam(undefined, selectable), undefined);
    assert.equal(parseFieldsParam('', selectable), undefined);
    assert.deepEqual(parseFieldsParam('givenName,sourcedId', selectable), ['givenName', 'sourcedId']);
  });

  it('rejects an unknown field, and a value that is not text, with invalid_selection_field', () => {
    assert.throws(() => parseFieldsParam('givenName,constructor', selectable), { codeMinor: 'invalid_selection_field', message: /names 'constructor'/ });
    assert.throws(() => parseFieldsParam({ a: 'b' }, selectable), { codeMinor: 'invalid_selection_field', message: /must be a comma-separated list/ });
  });
});
