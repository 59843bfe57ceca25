/**
 * RFC 4180 records as the OneRoster CSV binding writes them (fact sheet §8.1): a field is quoted only
 * when it holds a comma, a double quote or a line break, embedded quotes are doubled, and every
 * record ends with CRLF.
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i] as string);
  }
  return `${line}\r\n`;
}
