import type { IncomingMessage } from 'node:http';

/** What a step of the fake provider answers; written to the socket in one place. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Bytes sent as they are instead of `body` as JSON (a hostile or broken provider); set content-type in headers. */
  raw?: string | Buffer;
}

export type ErrorEnvelope = 'unwrapped' | 'imsx_statusInfo' | 'imsx_StatusInfo';

/** A OneRoster failure (fact sheet §5.2): the HTTP status and the codeMinor that goes with it. */
export class FakeStatusError extends Error {
  constructor(
    readonly status: number,
    readonly codeMinor: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${codeMinor}: ${description}`);
  }
}

export const unknownObject = (what: string) => new FakeStatusError(404, 'unknownobject', `Unknown Object: ${what}`);
export const unauthorised = (why: string, headers: Record<string, string> = {}) => new FakeStatusError(401, 'unauthorisedrequest', why, headers);

/**
 * The status-info body in the shape this fake was told to use (fact sheet §5.1): the OAS's unwrapped
 * object, or it wrapped in `imsx_statusInfo` (Moodle) or `imsx_StatusInfo` (LSG).
 */
export function statusInfoBody(envelope: ErrorEnvelope, error: FakeStatusError): unknown {
  const info = {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: error.description,
    imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: error.codeMinor }] },
  };
  switch (envelope) {
    case 'unwrapped':
      return info;
    case 'imsx_statusInfo':
      return { imsx_statusInfo: info };
    case 'imsx_StatusInfo':
      return { imsx_StatusInfo: info };
    default: {
      const never: never = envelope;
      throw new Error(`unknown envelope ${String(never)}`);
    }
  }
}

export function errorResponse(envelope: ErrorEnvelope, error: FakeStatusError): FakeResponse {
  return { status: error.status, headers: error.headers, body: statusInfoBody(envelope, error) };
}

export async function readRequestBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new FakeStatusError(413, 'invaliddata', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `a=b&c=d` decoded as application/x-www-form-urlencoded; later duplicates are kept as a list. */
export function formPairs(text: string): Array<[string, string]> {
  return [...new URLSearchParams(text)];
}
