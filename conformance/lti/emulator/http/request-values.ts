/**
 * Query strings and form bodies as one value per name. A parameter sent twice is not guessed at
 * (RFC 6749 §3.1: parameters must not repeat): it is reported, and the caller refuses the request.
 */
export function singleValues(source: unknown): { values: Record<string, string | undefined>; repeated: string[] } {
  const values: Record<string, string | undefined> = {};
  const repeated: string[] = [];
  if (typeof source !== 'object' || source === null) return { values, repeated };
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') values[name] = value;
    else repeated.push(name);
  }
  return { values, repeated };
}

/** A form field that may repeat (a multi-select), as a list. */
export function listValue(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
