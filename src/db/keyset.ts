import { invalidField } from '../problems.js';

/**
 * Opaque page cursors for keyset paging on (created_at, id): the base64url of the last row's sort
 * key. Keyset rather than offset, so pages neither skip nor repeat rows while data changes.
 */
export interface CreatedCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(c: CreatedCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id]), 'utf8').toString('base64url');
}

/** Throws a validation problem at /cursor when the text is not a cursor this server made (for ids that pass isId). */
export function decodeCursor(text: string, isId: (id: string) => boolean): CreatedCursor {
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

/** Splits a limit+1 fetch into the page and the cursor of the next one. */
export function pageOf<R extends { created_at: Date }>(rows: R[], limit: number, idOf: (r: R) => string): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: idOf(last) }) : null };
}
