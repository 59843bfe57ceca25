import assert from 'node:assert/strict';
import { parse as parseQueryString } from 'node:querystring';
import { assertRejected } from '../../testing/filter-assertions.js';
import type { FilterClause, FilterExpr, Predicate } from './ast.js';
import { parseFilter } from './parse-filter.js';

const clause = (field: string, predicate: Predicate, value: string): FilterClause => ({ kind: 'clause', field, predicate, value });
const and = (left: FilterExpr, right: FilterExpr): FilterExpr => ({ kind: 'and', left, right });
const or = (left: FilterExpr, right: FilterExpr): FilterExpr => ({ kind: 'or', left, right });
const [a, b, c, d] = (['a', 'b', 'c', 'd'] as const).map((name) => clause(name, '=', name)) as [FilterClause, FilterClause, FilterClause, FilterClause];

/** The `filter` value exactly as Express's simple query parser (node:querystring) decodes it. */
const decoded = (queryString: string) => parseQueryString(queryString).filter as string;

describe('OneRoster filter grammar (fact sheet §3)', () => {
  describe('clauses', () => {
    for (const predicate of ['=', '!=', '>', '>=', '<', '<=', '~'] as const) {
      it(`parses the ${predicate} predicate`, () => {
        assert.deepEqual(parseFilter(`givenName${predicate}'x'`, '1.2'), clause('givenName', predicate, 'x'));
      });
    }

    it('takes whitespace around the predicate as optional, and around the filter as insignificant', () => {
      assert.deepEqual(parseFilter("givenName = 'x'", '1.2'), clause('givenName', '=', 'x'));
      assert.deepEqual(parseFilter("  givenName\t>=  'x'  ", '1.2'), clause('givenName', '>=', 'x'));
    });

    it('accepts dotted and underscored field names, leaving their existence to the resolver', () => {
      assert.deepEqual(parseFilter("school.sourcedId='s1'", '1.2'), clause('school.sourcedId', '=', 's1'));
      assert.deepEqual(parseFilter("metadata.x_y2='1'", '1.2'), clause('metadata.x_y2', '=', '1'));
    });
  });

  describe('quoted values', () => {
    it('reads a doubled quote as one quote', () => {
      assert.deepEqual(parseFilter("familyName='O''Brien'", '1.2'), clause('familyName', '=', "O'Brien"));
      assert.deepEqual(parseFilter("title=''''", '1.2'), clause('title', '=', "'"));
      assert.deepEqual(parseFilter("title='x'''", '1.2'), clause('title', '=', "x'"));
    });

    it('accepts an empty value', () => {
      assert.deepEqual(parseFilter("email=''", '1.2'), clause('email', '=', ''));
      assert.deepEqual(parseFilter("email='' AND role='student'", '1.2'), and(clause('email', '=', ''), clause('role', '=', 'student')));
    });

    it('keeps spaces, logical words, predicates and non-ASCII text inside a value', () => {
      assert.deepEqual(parseFilter("scoreStatus='fully graded'", '1.2'), clause('scoreStatus', '=', 'fully graded'));
      assert.deepEqual(parseFilter("title='a AND b=''c'' OR (d)'", '1.1'), clause('title', '=', "a AND b='c' OR (d)"));
      assert.deepEqual(parseFilter("familyName~'Ängström 😀'", '1.2'), clause('familyName', '~', 'Ängström 😀'));
    });

    it("keeps an injection-looking value (x' OR '1'='1) whole, as one value", () => {
      assert.deepEqual(parseFilter("username='x'' OR ''1''=''1'", '1.2'), clause('username', '=', "x' OR '1'='1"));
      assert.deepEqual(parseFilter("username='x''; DROP TABLE users; --'", '1.2'), clause('username', '=', "x'; DROP TABLE users; --"));
    });
  });

  describe('AND and OR', () => {
    it('binds AND tighter than OR', () => {
      assert.deepEqual(parseFilter("a='a' OR b='b' AND c='c'", '1.2'), or(a, and(b, c)));
      assert.deepEqual(parseFilter("a='a' AND b='b' OR c='c'", '1.2'), or(and(a, b), c));
      assert.deepEqual(parseFilter("a='a' AND b='b' OR c='c' AND d='d'", '1.2'), or(and(a, b), and(c, d)));
    });

    it('groups equal operators left to right', () => {
      assert.deepEqual(parseFilter("a='a' AND b='b' AND c='c'", '1.2'), and(and(a, b), c));
      assert.deepEqual(parseFilter("a='a' OR b='b' OR c='c'", '1.2'), or(or(a, b), c));
      assert.deepEqual(parseFilter("a='a' OR b='b' AND c='c' OR d='d'", '1.2'), or(or(a, and(b, c)), d));
    });

    it('1.1: accepts one logical operator and refuses a second (the strict form), naming its position', () => {
      assert.deepEqual(parseFilter("a='a' OR b='b'", '1.1'), or(a, b));
      assertRejected("a='a' AND b='b' OR c='c'", 17, /OneRoster 1\.1 allows at most one logical operator .* this OR is the second/, '1.1');
    });

    it('1.2: accepts 20 clauses and refuses a 21st, naming the operator that starts it', () => {
      const clauses = Array.from({ length: 21 }, (_, i) => `f${i}='${i}'`);
      const twenty = parseFilter(clauses.slice(0, 20).join(' AND '), '1.2');
      assert.deepEqual(twenty.kind === 'and' && twenty.right, clause('f19', '=', '19'));
      const position = clauses.slice(0, 20).join(' AND ').length + 2;
      assertRejected(clauses.join(' AND '), position, /at most 20 clauses, and this AND starts clause 21/);
    });
  });

  describe("Microsoft SDS's filters, URL-decoded as Express does (fact sheet §9.2)", () => {
    it("username='stud1' OR email~'stud1'", () => {
      const text = decoded('filter=username%3D%27stud1%27%20OR%20email~%27stud1%27');
      assert.deepEqual(parseFilter(text, '1.1'), or(clause('username', '=', 'stud1'), clause('email', '~', 'stud1')));
    });

    it("dateLastModified>'2015-01-01' (with + for the space as forms encode it)", () => {
      assert.deepEqual(parseFilter(decoded('filter=dateLastModified%3E%272015-01-01%27'), '1.1'), clause('dateLastModified', '>', '2015-01-01'));
      const text = decoded('filter=dateLastModified%3E%272015-01-01T00%3A00%3A00.000Z%27+AND+role%3D%27student%27');
      assert.deepEqual(parseFilter(text, '1.1'), and(clause('dateLastModified', '>', '2015-01-01T00:00:00.000Z'), clause('role', '=', 'student')));
    });

    it("role='student' AND familyName~'smi'", () => {
      const text = decoded('filter=role%3D%27student%27%20AND%20familyName~%27smi%27');
      assert.deepEqual(parseFilter(text, '1.1'), and(clause('role', '=', 'student'), clause('familyName', '~', 'smi')));
    });
  });
});
