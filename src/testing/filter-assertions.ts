import assert from 'node:assert/strict';
import { QueryError } from '../oneroster/filter/errors.js';
import { parseFilter } from '../oneroster/filter/parse-filter.js';

/** Asserts that parsing fails with invalid_filter_field at `position`, with a message matching `message`. */
export function assertRejected(text: string, position: number, message: RegExp, version: '1.1' | '1.2' = '1.2') {
  assert.throws(
    () => parseFilter(text, version),
    (error: unknown) => {
      assert.ok(error instanceof QueryError);
      assert.equal(error.codeMinor, 'invalid_filter_field');
      assert.equal(error.position, position);
      assert.match(error.message, new RegExp(`^Invalid filter at position ${position}: `));
      assert.match(error.message, message);
      return true;
    },
  );
}
