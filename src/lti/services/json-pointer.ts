/** One thing wrong with a value, located by a JSON pointer (RFC 6901) into it. */
export interface ValidationProblem {
  pointer: string;
  message: string;
}

/** RFC 6901 §3: `~` is written `~0` and `/` is written `~1` inside a reference token. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
