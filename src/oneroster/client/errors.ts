import { parseStatusInfo } from './status-info.js';

/**
 * Stable codes to switch on (the message is for people):
 * - `http_error`: the provider answered with a non-2xx status (after any retries);
 * - `network_error`: no response: connection failure or timeout (after any retries);
 * - `token_error`: the OAuth 2 token endpoint refused or answered nonsense (RFC 6749 §5.2);
 * - `too_large`: a response body exceeded `maxResponseBytes`;
 * - `invalid_response`: a 2xx whose body is not the OneRoster JSON expected;
 * - `paging_error`: the provider's paging cannot be followed safely (offset ignored, foreign next link).
 */
export type OneRosterClientErrorCode = 'http_error' | 'network_error' | 'token_error' | 'too_large' | 'invalid_response' | 'paging_error';

export interface OneRosterClientErrorInit {
  code: OneRosterClientErrorCode;
  status: number | 'network-error';
  url: string;
  method?: string;
  codeMajor?: string;
  codeMinor?: string;
  description?: string;
  /** RFC 6749 §5.2 `error`, for token_error. */
  oauthError?: string;
  cause?: unknown;
}

export class OneRosterClientError extends Error {
  override readonly name = 'OneRosterClientError';
  readonly code: OneRosterClientErrorCode;
  readonly status: number | 'network-error';
  readonly url: string;
  readonly codeMajor?: string;
  readonly codeMinor?: string;
  readonly description?: string;
  readonly oauthError?: string;

  constructor(init: OneRosterClientErrorInit, message: string) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.url = init.url;
    if (init.codeMajor !== undefined) this.codeMajor = init.codeMajor;
    if (init.codeMinor !== undefined) this.codeMinor = init.codeMinor;
    if (init.description !== undefined) this.description = init.description;
    if (init.oauthError !== undefined) this.oauthError = init.oauthError;
  }
}

/** The first characters of a body, for messages about bodies that are not the JSON expected. */
export function snippet(bytes: Uint8Array, max = 200): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, max * 4));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A non-2xx from a OneRoster endpoint: the status-info envelope (any of its shapes) when there is one. */
export function httpError(method: string, url: string, status: number, bytes: Uint8Array, retries: number): OneRosterClientError {
  const info = parseStatusInfo(tryJson(bytes));
  const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  if (info) {
    const codes = [info.codeMajor, info.codeMinor].filter((c) => c !== undefined).join('/');
    const detail = [codes, info.description].filter((s) => s).join(': ');
    return new OneRosterClientError({ code: 'http_error', status, url, method, ...info }, `${method} ${url} answered ${status}${after}: ${detail}`);
  }
  const body = snippet(bytes);
  return new OneRosterClientError(
    { code: 'http_error', status, url, method, ...(body ? { description: body } : {}) },
    `${method} ${url} answered ${status}${after}${body ? ` with a body that is not a OneRoster status envelope: ${body}` : ' with an empty body'}`,
  );
}

export function tryJson(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
