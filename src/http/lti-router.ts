import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { LtiError } from '../lti/errors.js';
import type { LtiRequest, LtiResponse } from '../lti/http-types.js';
import { createLtiTool, type LtiToolDeps } from '../lti/tool.js';
import { requestIdOf } from './request-id.js';

/** The launch form carries an id_token (refused by the format check above 64 KB) and a few short fields. */
const FORM_LIMIT_BYTES = 256 * 1024;

/**
 * The LTI 1.3 tool's HTTP surface — translation only; the protocol lives in src/lti:
 *   GET  /.well-known/jwks.json        the tool's public keys
 *   GET|POST /lti/login                OIDC third-party login initiation
 *   POST /lti/launch                   the launch (id_token + state)
 *   GET  /lti/landing, /lti/session    the application session, by launch token (?ltik= or Bearer)
 *   GET|POST /lti/register/{token}     Dynamic Registration, by invitation
 */
export function ltiRouter(deps: LtiToolDeps): Router {
  const tool = createLtiTool(deps);
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: 50, type: 'application/x-www-form-urlencoded' });
  const fromQuery = (req: Request) => toLti(req, req.query as Record<string, unknown>);
  const fromForm = (req: Request) => toLti(req, (req.body ?? {}) as Record<string, unknown>);

  router.get('/.well-known/jwks.json', async (req, res) => send(res, await tool.jwks(fromQuery(req))));
  router.get('/lti/login', async (req, res) => send(res, await tool.login(fromQuery(req))));
  router.post('/lti/login', form, async (req, res) => send(res, await tool.login(fromForm(req))));
  router.post('/lti/launch', form, async (req, res) => send(res, await tool.launch(fromForm(req))));
  router.get('/lti/landing', async (req, res) => send(res, await tool.landing(fromQuery(req))));
  router.get('/lti/session', async (req, res) => send(res, await tool.session(fromQuery(req))));
  router.get('/lti/register/:token', async (req, res) => send(res, await tool.registrationStart(String(req.params.token), fromQuery(req))));
  router.post('/lti/register/:token', form, async (req, res) => send(res, await tool.registrationConfirm(String(req.params.token), fromForm(req))));

  // A body the form parser refused (too large, unreadable) still ends on the LTI error page, not in JSON.
  router.use(['/lti', '/.well-known/jwks.json'], (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === undefined) return next(err);
    const code = type === 'entity.too.large' ? 'request-too-large' : 'request-malformed';
    send(res, tool.failure(new LtiError(code, `the form body was refused: ${type}`), toLti(req, {})));
  });
  return router;
}

function toLti(req: Request, params: Record<string, unknown>): LtiRequest {
  return {
    params,
    cookieHeader: req.headers.cookie,
    origin: req.headers.origin,
    authorization: req.headers.authorization,
    requestId: requestIdOf(req, req.res as Response),
  };
}

function send(res: Response, out: LtiResponse): void {
  // LTI pages are framed by the platform: CSP frame-ancestors in the page decides, not X-Frame-Options.
  res.removeHeader('X-Frame-Options');
  res.status(out.status).set(out.headers);
  if (out.cookies?.length) res.append('Set-Cookie', out.cookies);
  // A no-store answer (every launch page) skips res.send's ETag, a SHA-1 of the page nobody can use;
  // cacheable ones (the key set) keep it for conditional requests.
  if (!/no-store/.test(res.get('Cache-Control') ?? '')) {
    res.send(out.body);
    return;
  }
  res.set('Content-Length', String(Buffer.byteLength(out.body)));
  res.end(out.body);
}
