import { pipeline } from 'node:stream/promises';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { ApiDeps, ApiRoute } from '../admin/api/route.js';
import { type FieldError, Problem } from '../problems.js';
import type { SchemaRegistry } from '../schemas/registry.js';
import { actorOf, type Principal } from '../tenancy/principal.js';
import { authenticate } from './authenticate.js';
import { requestIdOf } from './request-id.js';

/** OpenAPI `{name}` path parameters become Express `:name`. */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts the route table. Each route's pipeline: authenticate → query against its schema → content
 * type → JSON body (size-limited) → body against its schema → handler → JSON response.
 */
export function apiRouter(deps: ApiDeps, routes: ApiRoute[], schemas: SchemaRegistry): Router {
  const router = Router();
  const auth = authenticate(deps.db, deps.now);
  const json = express.json({ limit: deps.config.bodyLimitBytes, strict: true, type: () => true });
  for (const route of routes) {
    const steps = [auth, validateQuery(route, schemas)];
    if (route.body) steps.push(requireJson, json, validateBody(route, schemas));
    if (route.upload) steps.push(requireMediaType(route.upload));
    router[route.method](expressPath(route.path), ...steps, async (req: Request, res: Response) => {
      const principal = res.locals.principal as Principal;
      const result = await route.handle(deps, {
        params: req.params as Record<string, string>,
        query: res.locals.query ?? {},
        body: req.body,
        principal,
        ctx: { actor: actorOf(principal), requestId: requestIdOf(req, res), sourceIp: req.ip ?? null },
        ...(route.upload ? { upload: { contentType: req.headers['content-type'], stream: req } } : {}),
      });
      res.status(result.status).set(result.headers ?? {});
      if (result.stream) {
        // A failure mid-stream cannot become a problem response any more: the client sees a cut body.
        await pipeline(result.stream, res).catch((err) => deps.logger.warn({ err, path: req.path }, 'streamed response ended early'));
      } else if (result.body === undefined) res.end();
      else res.json(result.body);
    });
  }
  return router;
}

function validateQuery(route: ApiRoute, schemas: SchemaRegistry) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const raw = req.query as Record<string, unknown>;
    const repeated = Object.keys(raw).filter((k) => typeof raw[k] !== 'string');
    if (repeated.length > 0) {
      throw validationProblem(repeated.map((k) => ({ in: 'query', pointer: `/${k}`, detail: 'must be given once, as a single value' })));
    }
    if (!route.query) {
      next();
      return;
    }
    const query: Record<string, unknown> = { ...raw };
    const errors = schemas.validate(route.query, query, 'query');
    if (errors.length > 0) throw validationProblem(errors.map((e) => ({ in: 'query', ...e })));
    res.locals.query = query;
    next();
  };
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is(['application/json', 'application/*+json'])) {
    const got = req.headers['content-type'];
    throw new Problem('unsupported-media-type', `the body must be application/json${got ? `, not ${got.slice(0, 100)}` : ' (no Content-Type was sent)'}`);
  }
  next();
}

function requireMediaType(types: string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.is(types)) {
      const got = req.headers['content-type'];
      throw new Problem(
        'unsupported-media-type',
        `the body must be one of ${types.join(', ')}${got ? `, not ${got.slice(0, 100)}` : ' (no Content-Type was sent)'}`,
      );
    }
    next();
  };
}

function validateBody(route: ApiRoute, schemas: SchemaRegistry) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const errors = schemas.validate(route.body as string, req.body, 'body');
    if (errors.length > 0) throw validationProblem(errors.map((e) => ({ in: 'body', ...e })));
    next();
  };
}

function validationProblem(errors: FieldError[]): Problem {
  const summary = errors
    .slice(0, 5)
    .map((e) => `${e.in} ${e.pointer || '(root)'} ${e.detail}`)
    .join('; ');
  return new Problem('validation-failed', summary + (errors.length > 5 ? `; and ${errors.length - 5} more` : ''), errors);
}
