import { InvalidArgumentError } from 'commander';

/** Commander argument parsers shared by the commands. */

/** `--port <n>`: 0 to 65535. */
export function portOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return n;
}

/** A repeatable flag: each occurrence appends (start from `[]`). */
export function repeatable(value: string, all: string[]): string[] {
  return [...all, value];
}
