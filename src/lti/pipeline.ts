/** A value an earlier pipeline step provides; its absence is a bug in a step table, not a protocol error. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`an LTI pipeline step needs ${what}, which an earlier step should have provided`);
  return value;
}
