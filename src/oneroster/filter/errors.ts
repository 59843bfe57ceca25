/**
 * The OneRoster codeMinor values a collection query can fail with (fact sheet §5.2):
 * `invalid_filter_field`, `invalid_selection_field` and `invalid_sort_field` are the spec's own codes
 * for a bad `filter`, `fields` and `sort`/`orderBy`; `invaliddata` covers a malformed `limit`/`offset`,
 * for which the spec has no dedicated code. All of them are the client's fault (HTTP 400), and every
 * message is written for the person who typed the query, so it is safe to show.
 */
export type QueryCodeMinor = 'invalid_filter_field' | 'invalid_selection_field' | 'invalid_sort_field' | 'invaliddata';

export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly codeMinor: QueryCodeMinor,
    /** One specific sentence naming the offending text and, for filter syntax, its position. */
    message: string,
    /** 1-based character position in the filter text, when the error is about its syntax. */
    readonly position?: number,
  ) {
    super(message);
  }
}

const SHOWN_CHARACTERS = 40;

/** Client text quoted in a message, cut short so that a 4 KB value cannot flood a log line. */
export function quoteForMessage(text: string): string {
  const chars = Array.from(text);
  return chars.length > SHOWN_CHARACTERS ? `'${chars.slice(0, SHOWN_CHARACTERS).join('')}…'` : `'${text}'`;
}
