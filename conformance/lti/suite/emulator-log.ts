import { createLogger, type Logger } from '../../../src/observability/logger.js';

/** One line the emulator logged about a refusal: which check, which error, why. */
export interface EmulatorLogEntry {
  level: number;
  msg: string;
  check?: string;
  error?: string;
  description?: string;
}

const MAX_ENTRIES = 1000;

/**
 * The emulator's refusals (warn and above), kept so a failed case or registration can say what the
 * platform objected to — e.g. a tool's malformed authentication request — instead of "it ended at
 * the platform's error page".
 */
export class EmulatorLog {
  readonly logger: Logger;
  private readonly entries: EmulatorLogEntry[] = [];
  private dropped = 0;

  constructor() {
    this.logger = createLogger('warn', {
      write: (line: string) => {
        try {
          const { level, msg, check, error, description } = JSON.parse(line) as EmulatorLogEntry;
          this.entries.push({ level, msg, check, error, description });
        } catch {
          this.entries.push({ level: 50, msg: line.trim() });
        }
        if (this.entries.length > MAX_ENTRIES) {
          this.entries.shift();
          this.dropped++;
        }
      },
    });
  }

  /** A position to read from later. */
  mark(): number {
    return this.dropped + this.entries.length;
  }

  since(mark: number): EmulatorLogEntry[] {
    return this.entries.slice(Math.max(0, mark - this.dropped));
  }
}

/** "invalid_request: redirect_uri is not registered" — how a refusal reads in a reason. */
export function describeRefusal(entry: EmulatorLogEntry): string {
  return [entry.error, entry.description].filter(Boolean).join(': ') || entry.msg;
}
