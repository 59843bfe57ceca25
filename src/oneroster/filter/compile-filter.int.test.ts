import assert from 'node:assert/strict';
import { type Kysely, sql } from 'kysely';
import { freshDatabase, type TestDatabase } from '../../testing/test-database.js';
import { compileFilter } from './compile-filter.js';
import { resolverFrom } from './filter-field.js';
import { parseFilter } from './parse-filter.js';

const resolve = resolverFrom({
  sourcedId: { type: 'string', expr: sql`id` },
  familyName: { type: 'string', expr: sql`name` },
  /** The same column under a locale-aware collation, as a database created with one would have it. */
  familyNameIcu: { type: 'string', expr: sql`name COLLATE "und-x-icu"` },
  birthDate: { type: 'date', expr: sql`birth` },
  dateLastModified: { type: 'datetime', expr: sql`modified` },
  score: { type: 'number', expr: sql`score` },
  enabledUser: { type: 'boolean', expr: sql`enabled` },
  grades: { type: 'list', expr: sql`grades` },
  role: { type: 'custom', compile: (predicate, value) => (predicate === '=' ? sql<boolean>`id = ${`u${value.length}`}` : sql<boolean>`false`) },
});

// u3 has every field NULL; u4 has an empty list and LIKE's special characters; u6 a NULL list element.
const ROWS = sql`
  INSERT INTO t VALUES
    ('u1', 'Smith', '2010-05-01', '2015-01-01T00:00:00Z', 10, 'true', '{09,10}'),
    ('u2', 'smithers', '2011-12-31', '2016-06-15T12:30:00Z', 2.5, 'false', '{11}'),
    ('u3', NULL, NULL, NULL, NULL, NULL, NULL),
    ('u4', '100%_done\\x', '2009-01-01', '2014-12-31T23:59:59.999Z', -3, 'true', '{}'),
    ('u5', 'Ängström', '2010-05-02', '2015-01-01T00:00:00.001Z', 0, 'false', '{12}'),
    ('u6', 'O''Brien', '2012-02-29', '2020-02-29T08:00:00+08:00', 100, 'true', '{KG,NULL}'),
    ('u7', 'x'' OR ''1''=''1', '2013-07-04', '2013-07-04T00:00:00Z', 7, 'false', '{09}')`;

describe('OneRoster filter compiler on the database', () => {
  let database: TestDatabase;
  // TEMP tables belong to one session; with PostgreSQL's pool every query must use the same connection.
  let connection: Kysely<object>;
  let release: () => void;
  let released: Promise<unknown>;

  before(async () => {
    database = await freshDatabase();
    connection = await new Promise<Kysely<object>>((resolveConnection) => {
      released = database.db.connection().execute((db) => {
        resolveConnection(db as unknown as Kysely<object>);
        return new Promise<void>((done) => {
          release = done;
        });
      });
    });
    await sql`CREATE TEMP TABLE t (id text PRIMARY KEY, name text, birth text, modified timestamptz, score numeric, enabled text, grades text[])`.execute(
      connection,
    );
    await ROWS.execute(connection);
  });

  after(async () => {
    release?.();
    await released;
    await database?.close();
  });

  async function ids(filter: string): Promise<string[]> {
    const where = compileFilter(parseFilter(filter, '1.2'), resolve);
    const { rows } = await sql<{ id: string }>`SELECT id FROM t WHERE ${where} ORDER BY id`.execute(connection);
    return rows.map((row) => row.id);
  }

  it('string =: exact and case-sensitive (sourcedIds are, fact sheet §10.1)', async () => {
    assert.deepEqual(await ids("familyName='Smith'"), ['u1']);
    assert.deepEqual(await ids("familyName='smith'"), []);
    assert.deepEqual(await ids("sourcedId='U1'"), []);
    assert.deepEqual(await ids("familyName='O''Brien'"), ['u6']);
    assert.deepEqual(await ids("familyName='Ängström'"), ['u5']);
  });

  it('string != matches NULL (an absent field is not equal to anything)', async () => {
    assert.deepEqual(await ids("familyName!='Smith'"), ['u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
  });

  it('string ordering in code point order: uppercase and digits before lowercase, NULL never', async () => {
    assert.deepEqual(await ids("familyName<'a'"), ['u1', 'u4', 'u6']);
    assert.deepEqual(await ids("familyName>='smith'"), ['u2', 'u5', 'u7']);
  });

  it('string ordering stays in code point order under a locale-aware collation', async () => {
    const { rows } = await sql<{ id: string }>`SELECT id FROM t WHERE name COLLATE "und-x-icu" < 'a' ORDER BY id`.execute(connection);
    assert.deepEqual(
      rows.map((row) => row.id),
      ['u4'],
    );
    assert.deepEqual(await ids("familyNameIcu<'a'"), ['u1', 'u4', 'u6']);
  });

  it('string ~: contains, ignoring case, with %, _ and \\ taken literally', async () => {
    assert.deepEqual(await ids("familyName~'SMITH'"), ['u1', 'u2']);
    assert.deepEqual(await ids("familyName~'%'"), ['u4']);
    assert.deepEqual(await ids("familyName~'_'"), ['u4']);
    assert.deepEqual(await ids("familyName~'0%_d'"), ['u4']);
    assert.deepEqual(await ids("familyName~'\\'"), ['u4']);
    assert.deepEqual(await ids("familyName~'äNGSTR'"), ['u5']);
    assert.deepEqual(await ids("familyName~''''"), ['u6', 'u7']);
  });

  it('date: textual comparison of YYYY-MM-DD, ~ on the text', async () => {
    assert.deepEqual(await ids("birthDate>='2010-05-01'"), ['u1', 'u2', 'u5', 'u6', 'u7']);
    assert.deepEqual(await ids("birthDate<'2010-05-01'"), ['u4']);
    assert.deepEqual(await ids("birthDate='2012-02-29'"), ['u6']);
    assert.deepEqual(await ids("birthDate~'-05-0'"), ['u1', 'u5']);
    assert.deepEqual(await ids("birthDate!='2010-05-01'"), ['u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
  });

  it("datetime: SDS's delta filter reads a date as midnight UTC, also in a session far from UTC", async () => {
    assert.deepEqual(await ids("dateLastModified>'2015-01-01'"), ['u2', 'u5', 'u6']);
    await sql`SET TIME ZONE 'Pacific/Kiritimati'`.execute(connection);
    try {
      assert.deepEqual(await ids("dateLastModified>='2015-01-01'"), ['u1', 'u2', 'u5', 'u6']);
    } finally {
      await sql`RESET TIME ZONE`.execute(connection);
    }
  });

  it('datetime: instants with offsets and fractions compare exactly', async () => {
    assert.deepEqual(await ids("dateLastModified='2016-06-15T14:30:00+02:00'"), ['u2']);
    assert.deepEqual(await ids("dateLastModified='2020-02-29T00:00:00Z'"), ['u6']);
    assert.deepEqual(await ids("dateLastModified<'2015-01-01T00:00:00.000Z'"), ['u4', 'u7']);
    assert.deepEqual(await ids("dateLastModified<='2015-01-01T00:00:00.000Z'"), ['u1', 'u4', 'u7']);
    assert.deepEqual(await ids("dateLastModified!='2015-01-01T00:00:00Z'"), ['u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
  });

  it('number: numeric, not textual, comparison', async () => {
    assert.deepEqual(await ids("score>'2'"), ['u1', 'u2', 'u6', 'u7']);
    assert.deepEqual(await ids("score<'0'"), ['u4']);
    assert.deepEqual(await ids("score='2.50'"), ['u2']);
    assert.deepEqual(await ids("score<='-3'"), ['u4']);
    assert.deepEqual(await ids("score!='0'"), ['u1', 'u2', 'u3', 'u4', 'u6', 'u7']);
  });

  it("boolean: 'true' / 'false' text, != matching NULL", async () => {
    assert.deepEqual(await ids("enabledUser='true'"), ['u1', 'u4', 'u6']);
    assert.deepEqual(await ids("enabledUser!='true'"), ['u2', 'u3', 'u5', 'u7']);
  });

  it('list: = holds the value, != does not (NULL lists and NULL elements included), ~ some element contains it', async () => {
    assert.deepEqual(await ids("grades='09'"), ['u1', 'u7']);
    assert.deepEqual(await ids("grades!='09'"), ['u2', 'u3', 'u4', 'u5', 'u6']);
    assert.deepEqual(await ids("grades!='KG'"), ['u1', 'u2', 'u3', 'u4', 'u5', 'u7']);
    assert.deepEqual(await ids("grades~'1'"), ['u1', 'u2', 'u5']);
    assert.deepEqual(await ids("grades~'k'"), ['u6']);
    assert.deepEqual(await ids("grades~'%'"), []);
  });

  it('AND binds tighter than OR', async () => {
    assert.deepEqual(await ids("familyName~'smith' AND score>'5' OR grades='KG'"), ['u1', 'u6']);
    assert.deepEqual(await ids("grades='KG' OR familyName~'smith' AND score>'5'"), ['u1', 'u6']);
    assert.deepEqual(await ids("enabledUser='true' AND score>'5' OR enabledUser='false' AND score<'5'"), ['u1', 'u2', 'u5', 'u6']);
  });

  it('a custom field compiles to its own SQL', async () => {
    assert.deepEqual(await ids("role='abc' OR sourcedId='u1'"), ['u1', 'u3']);
  });

  it('an injection-looking value selects only the row that holds that very text, and breaks nothing', async () => {
    assert.deepEqual(await ids("familyName='x'' OR ''1''=''1'"), ['u7']);
    assert.deepEqual(await ids("familyName='x''; DROP TABLE t; --'"), []);
    assert.deepEqual(await ids("familyName~'''); DELETE FROM t; --'"), []);
    assert.deepEqual(await ids("grades='{09}'"), []);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM t`.execute(connection);
    assert.deepEqual(rows, [{ n: 7 }]);
  });
});
