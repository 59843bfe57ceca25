import express, { type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { tokenEndpoint } from '../oauth/token-endpoint.js';

/** /oauth/token. Form bodies only; a parameter given twice arrives as an array and is refused. */
export function oauthRouter(deps: { db: Kysely<Database>; tokenTtlSeconds: number; now: () => Date; bodyLimitBytes: number }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: Math.min(deps.bodyLimitBytes, 64 * 1024), parameterLimit: 20 });
  router.post('/oauth/token', form, async (req: Request, res: Response) => {
    const response = await tokenEndpoint(deps, {
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      form: (req.body ?? {}) as Record<string, unknown>,
    });
    // RFC 6749 §5.1: token responses must not be cached.
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(response);
  });
  return router;
}
