import assert from 'node:assert/strict';
import { assertRejected } from '../../testing/filter-assertions.js';
import { QueryError } from './errors.js';
import { MAX_FILTER_LENGTH, parseFilter } from './parse-filter.js';

describe('OneRoster filter grammar: rejected filters (fact sheet §3, §5.2 invalid_filter_field)', () => {
  it('rejects an empty or blank filter', () => {
    assertRejected('', 1, /the filter is empty/);
    assertRejected('   ', 1, /the filter is empty/);
  });

  it('rejects an unquoted value, quoting what it found', () => {
    assertRejected('role=student', 6, /expected a value in single quotes after 'role=', found 'student'\.$/);
    assertRejected('score>5', 7, /expected a value in single quotes after 'score>', found '5'/);
    assertRejected('role="student"', 6, /expected a value in single quotes after 'role=', found '"student"'/);
  });

  it('rejects an unterminated quote at the position where it opens', () => {
    assertRejected("role='student", 6, /the value opened by the quote there is never closed/);
    assertRejected("role='it''s", 6, /never closed/);
    assertRejected("role='a' AND familyName='b", 25, /never closed/);
  });

  it('rejects a missing or unknown predicate', () => {
    assertRejected("role 'student'", 6, /expected a predicate \(=, !=, >, >=, <, <= or ~\) after the field 'role', found the quoted value 'student'/);
    assertRejected('role', 5, /expected a predicate .* found the end of the filter/);
    assertRejected("role=='student'", 6, /expected a value in single quotes after 'role=', found '='/);
    assertRejected("role<>'student'", 6, /found '>'/);
    assertRejected("role!'student'", 5, /expected a predicate .* found '!'/);
  });

  it('rejects a missing field and a field that does not start with a letter', () => {
    assertRejected("='x'", 1, /expected a field name, found '='/);
    assertRejected("1role='x'", 1, /expected a field name, found '1role'/);
    assertRejected("_role='x'", 1, /expected a field name, found '_role'/);
    assertRejected("rôle='x'", 2, /expected a predicate .* after the field 'r', found 'ôle'/);
  });

  it('rejects trailing text after a complete clause', () => {
    assertRejected("role='x' junk", 10, /expected AND or OR \(uppercase, with whitespace on both sides\) after the value, found 'junk'/);
    assertRejected("role='x''", 6, /never closed/);
    assertRejected("role='x' 'y'", 10, /found the quoted value 'y'/);
    assertRejected("role='x' AND", 13, /expected a field name, found the end of the filter/);
  });

  it('rejects lowercase and badly spaced logical operators', () => {
    assertRejected("role='x' and b='y'", 10, /expected AND or OR .* found 'and'/);
    assertRejected("role='x' Or b='y'", 10, /found 'Or'/);
    assertRejected("role='x'AND b='y'", 9, /expected whitespace before AND/);
    assertRejected("role='x' AND\tb='y' ORc='z'", 20, /found 'ORc'/);
    assertRejected("role='x' AND'y'", 13, /expected whitespace after AND/);
  });

  it('rejects parentheses, naming their position', () => {
    assertRejected("(role='x')", 1, /parentheses are not supported/);
    assertRejected("role='x' AND (b='y' OR c='z')", 14, /parentheses are not supported; clauses combine with AND and OR, and AND binds tighter than OR/);
    assertRejected("role='x')", 9, /parentheses are not supported/);
  });

  it('rejects a NUL byte inside and outside a value', () => {
    assertRejected("role='stu\0dent'", 10, /contains a NUL character/);
    assertRejected("role='x'\0", 9, /contains a NUL character/);
  });

  it(`accepts ${MAX_FILTER_LENGTH} characters and rejects ${MAX_FILTER_LENGTH + 1}`, () => {
    const value = (length: number) => `title='${'x'.repeat(length - "title=''".length)}'`;
    assert.equal(parseFilter(value(MAX_FILTER_LENGTH), '1.2').kind, 'clause');
    assertRejected(value(MAX_FILTER_LENGTH + 1), 4097, /a filter may have at most 4096 characters/);
  });

  it('counts the limit in characters, not UTF-16 units', () => {
    const emoji = `title='${'😀'.repeat(MAX_FILTER_LENGTH - "title=''".length)}'`;
    assert.equal(emoji.length, 2 * MAX_FILTER_LENGTH - 8);
    assert.equal(parseFilter(emoji, '1.2').kind, 'clause');
    assertRejected(`${emoji}😀`, 4097, /at most 4096 characters/);
    assertRejected("title='😀' junk", 11, /found 'junk'/);
  });

  it('rejects 10,000 ANDs, and a megabyte of text, quickly', () => {
    const started = Date.now();
    assertRejected(Array.from({ length: 10_001 }, () => "a='1'").join(' AND '), 4097, /at most 4096 characters/);
    assertRejected(`title='${'x'.repeat(1_000_000)}'`, 4097, /at most 4096 characters/);
    assert.ok(Date.now() - started < 500);
  });

  it("rejects an unescaped injection attempt (x' OR '1'='1) as a syntax error, not as SQL", () => {
    assertRejected("username='x' OR '1'='1'", 17, /expected a field name, found the quoted value '1'/);
    assertRejected("username='x'; DROP TABLE users; --'", 13, /found ';'/);
  });

  it('cuts long offending text short in the message', () => {
    assert.throws(
      () => parseFilter(`role=${'s'.repeat(500)}`, '1.2'),
      (error: unknown) => error instanceof QueryError && error.message.endsWith(`found '${'s'.repeat(40)}…'.`),
    );
  });
});
