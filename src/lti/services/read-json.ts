import type { OutboundResponse } from '../outbound/outbound-http.js';
import { redactUrl } from './service-call-log.js';
import { capText, LtiServiceError } from './service-errors.js';

/**
 * The JSON body of a service answer. Its Content-Type must be one of `mediaTypes`, or plain
 * application/json (platforms commonly answer with it), or absent; anything else — an HTML login or
 * error page behind a 200, most often — is refused with the type and the body's first characters.
 */
export function readJson(res: OutboundResponse, mediaTypes: readonly string[], what: string): unknown {
  const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/json' && !mediaTypes.includes(type)) {
    throw invalid(res, `${what}: Content-Type ${type} is not ${[...mediaTypes, 'application/json'].join(' or ')}`);
  }
  try {
    return JSON.parse(res.body);
  } catch {
    throw invalid(res, `${what}: the body is not JSON`);
  }
}

export function invalid(res: OutboundResponse, message: string): LtiServiceError {
  const url = redactUrl(res.url);
  return new LtiServiceError('response-invalid', `${url}: ${message}`, { url, status: res.status, platformDescription: capText(res.body.trim(), 200) });
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
