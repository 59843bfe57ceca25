import { ServiceError } from './service-error.js';

/** The request's Accept admits one of `offered` (or anything JSON): otherwise 406. Returns the first offered. */
export function negotiate(accept: string | undefined, offered: readonly string[]): string {
  if (!accept) return offered[0] as string;
  const ranges = accept.split(',').map((r) => r.split(';')[0]?.trim().toLowerCase() ?? '');
  const hit = offered.find((type) => ranges.includes(type));
  if (hit) return hit;
  if (ranges.some((r) => r === '*/*' || r === 'application/*' || r === 'application/json')) return offered[0] as string;
  throw new ServiceError('not_acceptable', `this resource is served as ${offered.join(' or ')}`);
}

/** The request body has one of `expected` media types (application/json is tolerated): otherwise 415. */
export function requireContentType(contentType: string | undefined, expected: string): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== expected && type !== 'application/json') throw new ServiceError('unsupported_media_type', `send the body as ${expected}`);
}
