import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Every row of every table in the current schema as JSON text (bytea appears as \x-hex), for tests
 * that must prove a value is stored nowhere in the clear.
 */
export async function dumpAllTables(db: Kysely<Database>): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ j: string }>`SELECT row_to_json(t)::text AS j FROM ${sql.table(table_name)} t`.execute(db);
    parts.push(`${table_name}: ${rows.rows.map((r) => r.j).join('\n')}`);
  }
  return parts.join('\n');
}

/** The forms a leaked secret could take in a dump: as text, as bytea hex, as base64. */
export function leakForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, '')];
}
