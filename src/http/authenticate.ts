import type { NextFunction, Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { bearerToken } from '../oauth/bearer-token.js';
import { Problem } from '../problems.js';
import { createAuthenticator, describeFailure } from '../tenancy/authenticate.js';
import type { Principal } from '../tenancy/principal.js';

/**
 * RFC 6750 bearer authentication for /api/v1: `Authorization: Bearer <api key or access token>`, or
 * `X-API-Key: <api key>`. Runs before any validation of the request, so an unauthenticated caller
 * learns nothing about what a valid request would look like.
 */
export function authenticate(db: Kysely<Database>, now: () => Date) {
  const authenticateCredential = createAuthenticator(db);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const presented = presentedCredential(req);
    if (presented === undefined) {
      throw new Problem('unauthenticated', 'send an API key or access token as "Authorization: Bearer <credential>"', undefined, {
        'WWW-Authenticate': 'Bearer realm="edhub"',
      });
    }
    const result = await authenticateCredential(presented, now());
    if (!result.ok) {
      const detail = describeFailure(result);
      throw new Problem('invalid-credentials', detail, undefined, {
        'WWW-Authenticate': `Bearer realm="edhub", error="invalid_token", error_description="${headerSafe(detail)}"`,
      });
    }
    res.locals.principal = result.principal satisfies Principal;
    next();
  };
}

function presentedCredential(req: Request): string | undefined {
  const token = bearerToken(req.headers.authorization);
  if (token === null) {
    throw new Problem('invalid-credentials', 'the Authorization header must use the Bearer scheme', undefined, {
      'WWW-Authenticate': 'Bearer realm="edhub", error="invalid_request"',
    });
  }
  if (token !== undefined) return token;
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

/** RFC 6750 §3: error_description is limited to printable ASCII without `"` and `\\`. */
function headerSafe(text: string): string {
  return text.replace(/…/g, '...').replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}
