import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { apiRoutes } from '../admin/api/index.js';
import type { ApiRoute } from '../admin/api/route.js';
import type { DatabaseHandle } from '../db/database.js';
import type { EdhubConfig } from '../generated/config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { Problem } from '../problems.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import type { Vault } from '../security/vault.js';
import { apiRouter, expressPath } from './api-router.js';
import { ltiRouter } from './lti-router.js';
import { oauthRouter } from './oauth-router.js';
import { oneRosterRouter } from './oneroster-router.js';
import { buildOpenApi } from './openapi.js';
import { opsRouter } from './ops-router.js';
import { errorRenderer } from './render-error.js';
import { requestIdOf } from './request-id.js';

export interface AppDeps {
  database: DatabaseHandle;
  vault: Vault;
  config: EdhubConfig;
  logger: Logger;
  metrics: Metrics;
  schemas: SchemaRegistry;
  now: () => Date;
  version: string;
}

/** The Express shell: cross-cutting middleware, the routers, and the one error renderer. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  const routes: ApiRoute[] = apiRoutes;
  const routeMatchers = routes.map((r) => ({ route: r, re: pathRegex(r.path) }));
  let openapi: unknown;

  app.use((req: Request, res: Response, next: NextFunction) => {
    requestIdOf(req, res);
    observe(deps.metrics, req, res, routeMatchers);
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => requestIdOf(req, res),
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet());

  app.use(opsRouter(deps.database, deps.metrics, () => (openapi ??= buildOpenApi(routes, deps.schemas, deps.config.baseUrl ?? '', deps.version))));
  app.use(oauthRouter({ db: deps.database.db, tokenTtlSeconds: deps.config.tokenTtlSeconds, now: deps.now, bodyLimitBytes: deps.config.bodyLimitBytes }));
  app.use(ltiRouter({ db: deps.database.db, vault: deps.vault, config: deps.config, logger: deps.logger, now: deps.now }));
  app.use(
    '/ims/oneroster',
    oneRosterRouter({
      db: deps.database.db,
      vault: deps.vault,
      now: deps.now,
      logger: deps.logger,
      bodyLimitBytes: deps.config.bodyLimitBytes,
      baseUrl: deps.config.baseUrl,
      maxLimit: 10_000,
      limits: {
        ratePerSecond: deps.config.onerosterRateLimitPerSecond,
        burst: deps.config.onerosterRateLimitBurst,
        maxInFlight: deps.config.onerosterMaxInFlight,
      },
    }),
  );
  app.use(
    apiRouter(
      { db: deps.database.db, vault: deps.vault, config: deps.config, logger: deps.logger, now: deps.now, copyIn: deps.database.copyIn },
      routes,
      deps.schemas,
    ),
  );

  // Nothing matched: 405 when the path exists under another method, else 404.
  app.use((req: Request) => {
    const path = req.path;
    const allowed = routeMatchers.filter((m) => m.re.test(path)).map((m) => m.route.method.toUpperCase());
    if (path === '/oauth/token') allowed.push('POST');
    if (allowed.length > 0) throw new Problem('method-not-allowed', `${req.method} is not allowed on ${path}`, undefined, { Allow: allowed.join(', ') });
    throw new Problem('not-found', `there is nothing at ${path.slice(0, 200)}`);
  });
  app.use(errorRenderer(deps.logger));
  return app;
}

function pathRegex(openApiPath: string): RegExp {
  return new RegExp(`^${expressPath(openApiPath).replace(/:\w+/g, '[^/]+')}/?$`);
}

/** Request count and latency by route template (never the raw path: ids would explode the label set). */
function observe(metrics: Metrics, req: Request, res: Response, matchers: { route: ApiRoute; re: RegExp }[]): void {
  const end = metrics.httpDuration.startTimer();
  res.on('finish', () => {
    const path = req.path;
    const match = matchers.find((m) => m.re.test(path) && m.route.method === req.method.toLowerCase());
    const route = match?.route.path ?? (['/healthz', '/readyz', '/metrics', '/openapi.json', '/oauth/token'].includes(path) ? path : 'unmatched');
    end({ method: req.method, route });
    metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
}
