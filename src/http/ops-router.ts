import { type Request, type Response, Router } from 'express';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import type { Health } from '../generated/api-types.js';
import type { Metrics } from '../observability/metrics.js';

/** Operator endpoints: liveness, readiness, Prometheus metrics and the OpenAPI document. */
export function opsRouter(db: DatabaseHandle, metrics: Metrics, openapi: () => unknown): Router {
  const router = Router();

  router.get('/healthz', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' } satisfies Health);
  });

  router.get('/readyz', async (_req: Request, res: Response) => {
    const checks: Record<string, string> = {};
    let ready = true;
    try {
      await sql`SELECT 1`.execute(db.db);
      checks.database = `ok (${db.kind})`;
      const pending = await pendingMigrations(db.db);
      checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
      ready = pending.length === 0;
    } catch (err) {
      ready = false;
      checks.database ??= 'unreachable';
      checks.migrations ??= (err as Error).name === 'MigrationError' ? (err as Error).message : 'unknown';
    }
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not_ready', checks } satisfies Health);
  });

  router.get('/metrics', async (_req: Request, res: Response) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(openapi());
  });

  return router;
}
