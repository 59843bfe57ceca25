import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths pino censors in every log line. Request bodies are never logged; these cover headers and any
 * object a caller logs by mistake. The secret values EdHub issues are also recognisable by prefix
 * (ehk_/eha_/ehs_), which the secrets-in-logs test searches for.
 */
const SECRET_FIELDS = [
  'authorization',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'key',
  'masterKey',
  'masterKeysPrevious',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'plaintext',
];

/** Each secret field name, at the top level of a log object and one level down (pino's `*.x` skips the top). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'edhub' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
