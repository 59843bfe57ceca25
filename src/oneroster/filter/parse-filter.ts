import { type FilterClause, type FilterExpr, isPredicate, type LogicalOperator } from './ast.js';
import { QueryError, quoteForMessage } from './errors.js';
import { type Token, tokenize } from './tokenize.js';

/**
 * The OneRoster `filter` grammar (fact sheet §3), as EdHub accepts it:
 *
 *   filter := clause (LOGICAL clause)*        LOGICAL := "AND" | "OR", whitespace on both sides
 *   clause := field predicate value           whitespace around the predicate optional
 *
 * - AND binds tighter than OR; both associate left to right. The spec gives no precedence; this is how
 *   the lenient providers read it (QuestarAI), and how SQL does.
 * - AND / OR are uppercase only, as the spec writes them: a lowercase `and` is more likely part of a
 *   value someone forgot to quote than an operator.
 * - No parentheses: the spec has none, and a client that sends them would get a different meaning
 *   from a provider that ignored them.
 * - OneRoster 1.1 allows at most one logical operator (its strict `[field][predicate][value][logical]…`
 *   form); 1.2 accepts up to 20 clauses, Ed-Fi's limit for the same grammar.
 * - At most 4,096 characters, which bounds the work a single request can ask for.
 */
export const MAX_FILTER_LENGTH = 4096;
export const MAX_CLAUSES = { '1.1': 2, '1.2': 20 } as const;

export type OneRosterVersion = keyof typeof MAX_CLAUSES;

const PREDICATE_LIST = '=, !=, >, >=, <, <= or ~';

export function parseFilter(text: string, version: OneRosterVersion): FilterExpr {
  // A string of more than twice the limit in UTF-16 units has more than the limit in code points:
  // refuse it before splitting it into characters.
  const chars = text.length > 2 * MAX_FILTER_LENGTH ? undefined : Array.from(text);
  if (chars === undefined || chars.length > MAX_FILTER_LENGTH) {
    throw new QueryError(
      'invalid_filter_field',
      `Invalid filter at position ${MAX_FILTER_LENGTH + 1}: a filter may have at most ${MAX_FILTER_LENGTH} characters.`,
      MAX_FILTER_LENGTH + 1,
    );
  }
  return new FilterParser(tokenize(chars), chars.length + 1, version).parse();
}

/** Recursive descent, one token of lookahead: parseOr → parseAnd → parseClause. */
class FilterParser {
  private operators = 0;
  private lookahead: Token | undefined;
  private peeked = false;

  constructor(
    private readonly tokens: Iterator<Token, void, undefined>,
    private readonly endPosition: number,
    private readonly version: OneRosterVersion,
  ) {}

  private peek(): Token | undefined {
    if (!this.peeked) {
      const result = this.tokens.next();
      this.lookahead = result.done ? undefined : result.value;
      this.peeked = true;
    }
    return this.lookahead;
  }

  private take(): void {
    this.peeked = false;
  }

  parse(): FilterExpr {
    if (this.peek() === undefined) throw this.error(1, "the filter is empty; write field='value'");
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest) throw this.unexpected('AND or OR (uppercase, with whitespace on both sides) after the value', rest);
    return expr;
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.takeLogical('OR')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): FilterExpr {
    let left: FilterExpr = this.parseClause();
    while (this.takeLogical('AND')) left = { kind: 'and', left, right: this.parseClause() };
    return left;
  }

  private parseClause(): FilterClause {
    const field = this.peek();
    if (field?.kind !== 'word') throw this.unexpected('a field name', field);
    this.take();
    const predicate = this.peek();
    if (predicate?.kind !== 'predicate' || !isPredicate(predicate.text)) {
      throw this.unexpected(`a predicate (${PREDICATE_LIST}) after the field ${quoteForMessage(field.text)}`, predicate);
    }
    this.take();
    const value = this.peek();
    if (value?.kind !== 'value') {
      throw this.unexpected(`a value in single quotes after ${quoteForMessage(field.text + predicate.text)}`, value);
    }
    this.take();
    return { kind: 'clause', field: field.text, predicate: predicate.text, value: value.text };
  }

  /** Consumes the operator if it comes next, properly spaced; anything else is left for the caller. */
  private takeLogical(operator: LogicalOperator): boolean {
    const token = this.peek();
    if (token?.kind !== 'word' || token.text !== operator || !token.spaceBefore) return false;
    if (++this.operators >= MAX_CLAUSES[this.version]) throw this.tooManyClauses(token);
    this.take();
    const after = this.peek();
    if (after && !after.spaceBefore) throw this.error(after.position, `expected whitespace after ${operator}`);
    return true;
  }

  private tooManyClauses(operator: Token): QueryError {
    const limit = MAX_CLAUSES[this.version];
    return this.error(
      operator.position,
      this.version === '1.1'
        ? `OneRoster 1.1 allows at most one logical operator (AND or OR) in a filter, and this ${operator.text} is the second`
        : `a filter may combine at most ${limit} clauses, and this ${operator.text} starts clause ${limit + 1}`,
    );
  }

  private unexpected(expected: string, found: Token | undefined): QueryError {
    if (found?.kind === 'paren') {
      return this.error(found.position, `parentheses are not supported; clauses combine with AND and OR, and AND binds tighter than OR`);
    }
    if (found?.kind === 'word' && (found.text === 'AND' || found.text === 'OR') && !found.spaceBefore) {
      return this.error(found.position, `expected whitespace before ${found.text}`);
    }
    const what =
      found === undefined ? 'the end of the filter' : found.kind === 'value' ? `the quoted value ${quoteForMessage(found.text)}` : quoteForMessage(found.text);
    return this.error(found?.position ?? this.endPosition, `expected ${expected}, found ${what}`);
  }

  private error(position: number, problem: string): QueryError {
    return new QueryError('invalid_filter_field', `Invalid filter at position ${position}: ${problem}.`, position);
  }
}
