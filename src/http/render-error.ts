import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { OAuthError } from '../oauth/errors.js';
import { Problem } from '../problems.js';
import { requestIdOf } from './request-id.js';

/** body-parser's error types, translated into the problem that names what was wrong with the body. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number }): Problem | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new Problem('malformed-request', `the body is not valid JSON: ${err.message ?? 'parse error'}`);
    case 'entity.too.large':
      return new Problem('payload-too-large', `the body exceeds the limit of ${err.limit ?? '?'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem('unsupported-media-type', err.message ?? 'unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'parameters.too.many':
      return new Problem('malformed-request', err.message ?? 'the body could not be read');
    default:
      return undefined;
  }
}

/**
 * The one place errors become responses. Protocol errors keep their standard's body (OAuth's
 * {error, error_description}); everything else is RFC 9457 problem+json. An error we did not expect
 * is logged in full and answered with a bare 500 — no message, no stack.
 */
export function errorRenderer(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = requestIdOf(req, res);
    if (res.headersSent) {
      logger.error({ err, requestId }, 'error after the response started');
      res.destroy();
      return;
    }
    if (err instanceof OAuthError) {
      res
        .status(err.status)
        .set({ ...err.headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' })
        .json(err.toBody());
      return;
    }
    let problem = err instanceof Problem ? err : fromBodyParser(err as { type?: string });
    if (!problem) {
      logger.error({ err, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
      problem = new Problem('internal', 'the server failed to complete the request; quote the requestId when reporting it');
    }
    res.status(problem.status);
    for (const [name, value] of Object.entries(problem.headers ?? {})) {
      try {
        res.set(name, value);
      } catch (headerErr) {
        logger.error({ err: headerErr, header: name, requestId }, 'dropped an invalid response header');
      }
    }
    res.type('application/problem+json').send(JSON.stringify(problem.toBody(req.originalUrl.split('?')[0] ?? '/', requestId)));
  };
}
