import type { Logger } from '../observability/logger.js';
import { LtiError } from './errors.js';
import type { LtiResponse } from './http-types.js';
import { errorPage } from './pages/error-page.js';

/**
 * The one place LTI failures become responses. An LtiError is logged as exactly one warning line
 * naming its check and stable code (with the detail, for operators) and answered with the error page
 * — or, for the JSON session endpoint, a small JSON body. Anything else is a bug: logged in full,
 * answered with a bare 500 page that reveals nothing.
 */
export function failureResponse(err: unknown, ctx: { requestId: string; logger: Logger; format?: 'html' | 'json'; cookies?: string[] }): LtiResponse {
  const e = err instanceof LtiError ? err : undefined;
  if (e) {
    ctx.logger.warn(
      { lti: { check: e.check, code: e.code, ...e.context }, detail: e.detail, requestId: ctx.requestId },
      `LTI ${e.check} check failed: ${e.code}`,
    );
  } else {
    ctx.logger.error({ err, requestId: ctx.requestId }, 'LTI request failed unexpectedly');
  }
  const shown = e ?? { status: 500, title: 'EdHub failed to complete the request', code: 'internal', check: 'internal' };
  if (ctx.format === 'json') {
    return {
      status: shown.status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        ...(shown.status === 401 ? { 'WWW-Authenticate': `Bearer realm="edhub-lti", error="invalid_token"` } : {}),
      },
      body: JSON.stringify({ error: shown.code, check: shown.check, message: shown.title, requestId: ctx.requestId }),
    };
  }
  return errorPage(shown, ctx.requestId, ctx.cookies);
}
