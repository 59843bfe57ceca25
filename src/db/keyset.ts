import { type RawBuilder, sql } from 'kysely';
import { invalidField } from '../problems.js';

/**
 * Keyset paging on (created_at, <id column>), oldest first, with opaque cursors: the base64url of
 * the last row's sort key. Keyset rather than offset, so pages neither skip nor repeat rows while
 * data changes. created_at is stored at millisecond precision (see the migrations), the precision of
 * a cursor.
 */
export interface Page {
  limit: number;
  cursor?: string;
}

export interface PageResult<R> {
  rows: R[];
  nextCursor: string | null;
}

export interface KeysetColumn<R> {
  /** The time column pages are ordered by, and how to read it from a row (default: created_at). */
  time?: { column: string; of: (row: R) => Date };
  /** The unique tie-breaker column after the time column. */
  column: string;
  /** SQL type of that column, for the comparison against the cursor's text. */
  type: 'uuid' | 'text';
  /** Whether a cursor's id could be one of ours; anything else is refused before reaching SQL. */
  isId: (id: string) => boolean;
  idOf: (row: R) => string;
}

/**
 * Runs `fetch` with the condition "after the cursor" (undefined on the first page), the ordering and
 * limit+1, and splits off the next cursor. The caller's query adds its own scoping (tenant!) filters.
 */
export async function keysetPage<R>(
  page: Page,
  key: KeysetColumn<R>,
  fetch: (q: { after: RawBuilder<boolean> | undefined; orderBy: [string, string]; limit: number }) => Promise<R[]>,
): Promise<PageResult<R>> {
  const time = key.time ?? { column: 'created_at', of: (row: R) => (row as { created_at: Date }).created_at };
  let after: RawBuilder<boolean> | undefined;
  if (page.cursor !== undefined) {
    const c = decodeCursor(page.cursor, key.isId);
    after = sql<boolean>`(${sql.ref(time.column)}, ${sql.ref(key.column)}) > (${c.createdAt}, ${sql`${c.id}::`}${sql.raw(key.type)})`;
  }
  const rows = await fetch({ after, orderBy: [time.column, key.column], limit: page.limit + 1 });
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, nextCursor: rows.length > page.limit && last !== undefined ? encodeCursor(time.of(last), key.idOf(last)) : null };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id]), 'utf8').toString('base64url');
}

/** Throws a validation problem at /cursor when the text is not a cursor this server made. */
function decodeCursor(text: string, isId: (id: string) => boolean): { createdAt: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime()) && isId(parsed[1])) return { createdAt, id: parsed[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw invalidField('query', '/cursor', 'is not a cursor returned by this API');
}
