import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';

describe('prepared statements (src/db/prepared-statements.ts)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase();
  });
  after(() => database.close());

  it('prepares each parameterised statement once per connection, by a name from its text, and never a statement without parameters', async () => {
    await database.db.connection().execute(async (c) => {
      const prepared = async () =>
        (await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`.execute(c)).rows.filter((r) =>
          r.name.startsWith('eh_'),
        );
      const before = (await prepared()).length;
      for (const n of [1, 2, 3]) {
        const r = await sql<{ v: number }>`SELECT ${n}::int + 40 AS v /* prepared-statements test */`.execute(c);
        assert.equal(r.rows[0]?.v, n + 40);
      }
      const mine = (await prepared()).filter((r) => r.statement.includes('prepared-statements test'));
      assert.equal(mine.length, 1);
      assert.match(mine[0]?.name ?? '', /^eh_[A-Za-z0-9_-]{20}$/);
      assert.equal((await prepared()).length, before + 1);
    });
  });
});
