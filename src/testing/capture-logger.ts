import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../observability/logger.js';

/** A real pino logger (same redaction as production) whose every line lands in `lines`. */
export function captureLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
