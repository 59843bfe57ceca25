import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A caller's X-Request-Id is kept when it is a sane token (so traces join up); otherwise a UUID is made. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const existing = res.getHeader('X-Request-Id');
  if (typeof existing === 'string') return existing;
  const offered = req.headers['x-request-id'];
  const id = typeof offered === 'string' && ACCEPTABLE.test(offered) ? offered : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
