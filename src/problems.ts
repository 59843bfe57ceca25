import type { Problem as ProblemBody } from './generated/api-types.js';

/**
 * The error family of EdHub's own API (RFC 9457 problem details). One row per code: its HTTP status
 * and title. The code is the stable part clients switch on (`type` is `urn:edhub:problem:<code>`);
 * `detail` names the failed check for a person. Other standards keep their own error bodies
 * (OAuth's in src/oauth, OneRoster's imsx_StatusInfo, …).
 */
export const PROBLEM_CODES = {
  'malformed-request': { status: 400, title: 'The request could not be read' },
  'validation-failed': { status: 400, title: 'The request does not match its schema' },
  unauthenticated: { status: 401, title: 'Credentials are required' },
  'invalid-credentials': { status: 401, title: 'The credentials were not accepted' },
  'insufficient-scope': { status: 403, title: 'The credential lacks a required scope' },
  forbidden: { status: 403, title: 'The credential may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'No acceptable representation' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'invalid-package': { status: 422, title: 'The package cannot be opened' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'not-ready': { status: 503, title: 'Not ready' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code);
}
export type ProblemLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldError {
  in: ProblemLocation;
  pointer: string;
  detail: string;
}

export class Problem extends Error {
  override readonly name = 'Problem';
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra response headers (WWW-Authenticate, Allow, Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${detail}`);
    this.status = PROBLEM_CODES[code].status;
  }

  toBody(instance: string, requestId: string): ProblemBody {
    return {
      type: `urn:edhub:problem:${this.code}`,
      title: PROBLEM_CODES[this.code].title,
      status: this.status,
      detail: this.detail,
      instance,
      requestId,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** 404 for anything the caller may not see: another tenant's object looks exactly like a missing one. */
export function notFound(what: string): Problem {
  return new Problem('not-found', `${what} does not exist`);
}

export function invalidField(location: ProblemLocation, pointer: string, detail: string): Problem {
  return new Problem('validation-failed', `${location}${pointer}: ${detail}`, [{ in: location, pointer, detail }]);
}
