import assert from 'node:assert/strict';
import { tokenize } from './tokenize.js';

const tokens = (text: string) => [...tokenize(Array.from(text))].map((t) => `${t.position}${t.spaceBefore ? ' ' : ''}:${t.kind}:${t.text}`);

describe('OneRoster filter tokens (fact sheet §3)', () => {
  it('splits a clause into word, predicate and unquoted value, with 1-based positions', () => {
    assert.deepEqual(tokens("school.sourcedId>='it''s'"), ['1:word:school.sourcedId', '17:predicate:>=', "19:value:it's"]);
  });

  it('records the whitespace before each token, which AND and OR need', () => {
    assert.deepEqual(tokens("a='1' AND\tb ~ '2'"), ['1:word:a', '2:predicate:=', '3:value:1', '7 :word:AND', '11 :word:b', '13 :predicate:~', '15 :value:2']);
  });

  it('keeps parentheses and unknown runs as tokens for the parser to name', () => {
    assert.deepEqual(tokens("(a!b)=5x <> '😀'"), [
      '1:paren:(',
      '2:word:a',
      '3:other:!b',
      '5:paren:)',
      '6:predicate:=',
      '7:other:5x',
      '10 :predicate:<',
      '11:predicate:>',
      '13 :value:😀',
    ]);
  });

  it('counts positions in characters, so an emoji is one', () => {
    assert.deepEqual(tokens("a='😀😀' b"), ['1:word:a', '2:predicate:=', '3:value:😀😀', '8 :word:b']);
  });
});
