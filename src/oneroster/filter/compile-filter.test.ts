import assert from 'node:assert/strict';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { compileFilter } from './compile-filter.js';
import { QueryError } from './errors.js';
import { type FilterField, resolverFrom } from './filter-field.js';
import { parseFilter } from './parse-filter.js';

/** Compiles without a database, to look at the SQL text and its parameters. */
const offline = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const fields: Record<string, FilterField> = {
  givenName: { type: 'string', expr: sql`u.given_name` },
  birthDate: { type: 'date', expr: sql`d.birth_date` },
  dateLastModified: { type: 'datetime', expr: sql`u.date_last_modified` },
  score: { type: 'number', expr: sql`r.score` },
  enabledUser: { type: 'boolean', expr: sql`u.enabled_user` },
  grades: { type: 'list', expr: sql`u.grades` },
  role: { type: 'custom', compile: (predicate, value) => sql<boolean>`custom(${predicate}, ${value})` },
};
const resolve = resolverFrom(fields);

function compiled(filter: string) {
  const { sql: text, parameters } = compileFilter(parseFilter(filter, '1.2'), resolve).compile(offline);
  return { text, parameters };
}

function assertInvalid(filter: string, message: RegExp) {
  assert.throws(
    () => compiled(filter),
    (error: unknown) => {
      assert.ok(error instanceof QueryError);
      assert.equal(error.codeMinor, 'invalid_filter_field');
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('OneRoster filter compiler: SQL and parameters', () => {
  it('binds every value as a parameter, never as SQL text', () => {
    const { text, parameters } = compiled("givenName='x'' OR ''1''=''1' AND grades!='x''; DROP TABLE t; --'");
    assert.equal(text, '((u.given_name) = $1::text AND NOT coalesce($2::text = ANY(u.grades), false))');
    assert.deepEqual(parameters, ["x' OR '1'='1", "x'; DROP TABLE t; --"]);
  });

  it('keeps AND over OR with parentheses in the SQL', () => {
    assert.equal(
      compiled("givenName='a' OR givenName='b' AND score>'1'").text,
      '((u.given_name) = $1::text OR ((u.given_name) = $2::text AND (r.score) > $3::numeric))',
    );
  });

  it('compares strings in code point order (COLLATE "C") and matches != with IS DISTINCT FROM', () => {
    assert.equal(compiled("givenName<='m'").text, '(u.given_name) COLLATE "C" <= $1::text');
    assert.equal(compiled("givenName!='m'").text, '(u.given_name) IS DISTINCT FROM $1::text');
  });

  it('makes ~ a case-insensitive contains with %, _ and \\ escaped', () => {
    const { text, parameters } = compiled("givenName~'50%_a\\b'");
    assert.equal(text, "(u.given_name) ILIKE ('%' || $1::text || '%') ESCAPE '\\'");
    assert.deepEqual(parameters, ['50\\%\\_a\\\\b']);
  });

  it('reads a date-only date-time as midnight UTC, and a + that arrived as a space as +', () => {
    assert.deepEqual(compiled("dateLastModified>'2015-01-01'").parameters, ['2015-01-01T00:00:00Z']);
    assert.deepEqual(compiled("dateLastModified>='2015-01-01T10:00:00 01:00'").parameters, ['2015-01-01T10:00:00+01:00']);
    assert.deepEqual(compiled("dateLastModified<'2015-01-01T10:00:00.123456789-05:30'").parameters, ['2015-01-01T10:00:00.123456789-05:30']);
  });

  it('normalises boolean values to the stored true / false text', () => {
    assert.deepEqual(compiled("enabledUser='TRUE'").parameters, ['true']);
  });

  it('hands custom fields the predicate and the value', () => {
    const { text, parameters } = compiled("role~'stud'");
    assert.equal(text, 'custom($1, $2)');
    assert.deepEqual(parameters, ['~', 'stud']);
  });

  describe('rejects with invalid_filter_field', () => {
    it('a field the endpoint does not have, including Object.prototype names', () => {
      assertInvalid("familyName='x'", /^Invalid filter: 'familyName' is not a field this endpoint can filter on \(in 'familyName='x''\)\.$/);
      assertInvalid("constructor='x'", /'constructor' is not a field/);
      assertInvalid("school.sourcedId='x'", /'school\.sourcedId' is not a field/);
    });

    it('a date that is not a calendar YYYY-MM-DD', () => {
      for (const value of ['2015-1-1', '2015-02-29', '2015-13-01', '0000-01-01', '2015-01-01T00:00:00Z', 'yesterday']) {
        assertInvalid(`birthDate>'${value}'`, new RegExp(`Invalid filter value '${value}' for 'birthDate': expected a date \\(YYYY-MM-DD\\)`));
      }
      assert.deepEqual(compiled("birthDate='2016-02-29'").parameters, ['2016-02-29']);
    });

    it('a date-time without a zone, out of range, or not ISO 8601', () => {
      for (const value of ['2015-01-01T10:00:00', '2015-01-01T24:00:00Z', '2015-01-01T10:60Z', '2015-01-01T10:00:00+15:00', '01/02/2015', '2015-02-30']) {
        assertInvalid(`dateLastModified>'${value}'`, /expected an ISO 8601 date \(YYYY-MM-DD\) or date-time with Z or an offset/);
      }
    });

    it('a number that is not a plain finite decimal', () => {
      for (const value of ['abc', '1e5', 'NaN', 'Infinity', '', '1,5', '0x10']) {
        assertInvalid(`score>'${value}'`, /for 'score': expected a decimal number/);
      }
    });

    it('a boolean that is not true or false, and an ordering or ~ on a boolean', () => {
      assertInvalid("enabledUser='yes'", /expected 'true' or 'false'/);
      assertInvalid("enabledUser>'true'", /the predicate > does not apply to the boolean field 'enabledUser'; use = or !=/);
      assertInvalid("enabledUser~'t'", /the predicate ~ does not apply to the boolean field/);
    });

    it('~ on a date-time or a number, and an ordering on a list', () => {
      assertInvalid("dateLastModified~'2015'", /the predicate ~ does not apply to the date-time field 'dateLastModified'/);
      assertInvalid("score~'1'", /the predicate ~ does not apply to the number field 'score'/);
      assertInvalid("grades>'09'", /the predicate > does not apply to the list field 'grades'; use =, != or ~/);
    });
  });
});
