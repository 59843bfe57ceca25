import { QueryError } from './errors.js';

/**
 * The lexical layer of the OneRoster filter grammar (fact sheet §3). It splits the decoded `filter`
 * text into tokens without judging their order; the parser does that and so can say what it expected.
 *
 * - `word`: a letter, then letters, digits, `.` and `_` — a field name (dotted names such as
 *   `school.sourcedId` are words; the field resolver decides whether they exist) or AND / OR.
 * - `predicate`: `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (two-character ones matched first).
 * - `value`: text in single quotes; a doubled quote inside stands for one quote, as in SQL. Anything
 *   else goes: spaces, `AND`, predicates, non-ASCII.
 * - `paren`: `(` or `)`, which the grammar does not have; the parser rejects them by name.
 * - `other`: any other run of characters (an unquoted `5`, `@x`, a lone `!`), kept whole so that the
 *   parser's message can quote it.
 *
 * Positions count characters (Unicode code points), from 1, as a person reading the filter would.
 */
export type TokenKind = 'word' | 'predicate' | 'value' | 'paren' | 'other';

export interface Token {
  kind: TokenKind;
  /** The token's text; for a `value`, the unquoted, unescaped value. */
  text: string;
  /** 1-based position of the token's first character. */
  position: number;
  /** Whether whitespace separates this token from the one before; AND and OR need it on both sides. */
  spaceBefore: boolean;
}

const QUOTE = "'";
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
/** Characters that end an `other` run because they start a token of their own. */
const STOPPERS = new Set([QUOTE, '(', ')', '=', '!', '<', '>', '~', '\0']);

/**
 * `chars` is the filter split into code points (Array.from), so that indexes are character positions.
 * Tokens are produced as the parser asks for them, so errors are reported in the order they occur in
 * the text: in `a='x'; b='` the `;` is the error, not the unclosed quote after it.
 */
export function* tokenize(chars: readonly string[]): Generator<Token, void, undefined> {
  let spaceBefore = false;
  let i = 0;
  const token = (kind: TokenKind, text: string, start: number): Token => {
    const made = { kind, text, position: start + 1, spaceBefore };
    spaceBefore = false;
    return made;
  };
  while (i < chars.length) {
    const c = chars[i] as string;
    const start = i;
    if (c === '\0') throw nulError(i);
    if (WHITESPACE.has(c)) {
      spaceBefore = true;
      i++;
    } else if (c === QUOTE) {
      const { value, end } = readValue(chars, i);
      i = end;
      yield token('value', value, start);
    } else if (isLetter(c)) {
      while (i < chars.length && isWordChar(chars[i] as string)) i++;
      yield token('word', chars.slice(start, i).join(''), start);
    } else if ((c === '<' || c === '>' || c === '!') && chars[i + 1] === '=') {
      i += 2;
      yield token('predicate', `${c}=`, start);
    } else if (c === '=' || c === '<' || c === '>' || c === '~') {
      i++;
      yield token('predicate', c, start);
    } else if (c === '(' || c === ')') {
      i++;
      yield token('paren', c, start);
    } else {
      i++;
      while (i < chars.length && !WHITESPACE.has(chars[i] as string) && !STOPPERS.has(chars[i] as string)) i++;
      yield token('other', chars.slice(start, i).join(''), start);
    }
  }
}

/** Reads the quoted value whose opening quote is at `open`; returns it and the index after its closing quote. */
function readValue(chars: readonly string[], open: number): { value: string; end: number } {
  const value: string[] = [];
  let i = open + 1;
  for (;;) {
    const c = chars[i];
    if (c === undefined) {
      throw new QueryError(
        'invalid_filter_field',
        `Invalid filter at position ${open + 1}: the value opened by the quote there is never closed (write '' for a quote inside a value).`,
        open + 1,
      );
    }
    if (c === '\0') throw nulError(i);
    if (c === QUOTE) {
      if (chars[i + 1] !== QUOTE) return { value: value.join(''), end: i + 1 };
      value.push(QUOTE);
      i += 2;
    } else {
      value.push(c);
      i++;
    }
  }
}

/** PostgreSQL text cannot hold NUL, so such a value would fail in the database instead of here. */
function nulError(index: number): QueryError {
  return new QueryError('invalid_filter_field', `Invalid filter at position ${index + 1}: the filter contains a NUL character.`, index + 1);
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isWordChar(c: string): boolean {
  return isLetter(c) || (c >= '0' && c <= '9') || c === '.' || c === '_';
}
