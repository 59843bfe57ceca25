import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { AuthError } from '../auth/auth-error.js';
import { authorize } from '../auth/authorize.js';
import type { EmulatorContext } from '../context.js';
import { DeepLinkingError } from '../deep-linking/deep-linking-result.js';
import { receiveDeepLinkingResponse } from '../deep-linking/receive-response.js';
import { openIdConfiguration } from '../discovery/openid-configuration.js';
import { registerTool } from '../registration/register-tool.js';
import { lineItemContainer, lineItemResource } from '../services/ags/line-items.js';
import { getResults } from '../services/ags/results.js';
import { postScore } from '../services/ags/scores.js';
import { contextMemberships } from '../services/nrps/memberships.js';
import { ServiceError } from '../services/service-error.js';
import type { ServiceRequest, ServiceResponse } from '../services/service-request.js';
import { tokenEndpoint } from '../token/token-endpoint.js';
import { consoleRoutes } from './console-routes.js';
import { autoSubmitForm, escapeHtml, page } from './html.js';
import { singleValues } from './request-values.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * HTTP for the emulated platform: each route turns the request into plain values, calls one protocol
 * function, and renders its outcome. No protocol rule lives here.
 */
export function emulatorRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 100 });
  const json = express.json({ type: JSON_TYPES, limit: '256kb' });

  router.get('/.well-known/openid-configuration', (_req, res) => {
    res.json(openIdConfiguration(ctx));
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    // SEC §6.3: key set consumers cache by Cache-Control.
    res.set('Cache-Control', `max-age=${ctx.options.jwksMaxAgeSeconds}`).json(ctx.keys.jwks());
  });

  router.all('/lti/auth', form, async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') return void res.set('Allow', 'GET, POST').status(405).end();
    const { values, repeated } = singleValues(req.method === 'GET' ? req.query : req.body);
    if (repeated.length > 0) {
      return renderAuthErrorPage(req, res, new AuthError('invalid_request', `parameter(s) repeated: ${repeated.join(', ')}`, 'repeated-parameters'));
    }
    const outcome = await authorize(ctx, values);
    if (outcome.kind === 'error_page') return renderAuthErrorPage(req, res, outcome.error, outcome.state);
    res.set('Cache-Control', 'no-store').type('html').send(autoSubmitForm(outcome.action, outcome.fields));
  });

  router.post('/lti/token', form, async (req, res) => {
    const { values, repeated } = singleValues(req.body);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    if (repeated.length > 0) return void res.status(400).json({ error: 'invalid_request', error_description: `parameter(s) repeated: ${repeated.join(', ')}` });
    const outcome = await tokenEndpoint(ctx, { contentType: req.headers['content-type'], form: values });
    if (outcome.ok) return void res.json(outcome.body);
    if (outcome.error.code === 'invalid_client') res.set('WWW-Authenticate', 'Bearer error="invalid_client"');
    res.status(outcome.error.status).json(outcome.error.toBody());
  });

  router.post('/lti/register', json, (req, res) => {
    const outcome = registerTool(ctx, { contentType: req.headers['content-type'], authorization: req.headers.authorization, body: req.body });
    res.set('Cache-Control', 'no-store');
    if (outcome.ok) return void res.status(outcome.status).json(outcome.body);
    if (outcome.error.status === 401) res.set('WWW-Authenticate', `Bearer error="invalid_token"`);
    res.status(outcome.error.status).json(outcome.error.toBody());
  });

  router.post('/lti/deep-linking/return/:launchId', form, async (req, res) => {
    const result = await receiveDeepLinkingResponse(ctx, req.params.launchId as string, singleValues(req.body).values);
    if (req.accepts(['html', 'json']) === 'json') return void res.json(result);
    const rows = result.contentItems.map(
      (i) => `<tr><td>${escapeHtml(i.type)}</td><td>${escapeHtml(i.title ?? '')}</td><td>${escapeHtml(i.url ?? '')}</td></tr>`,
    );
    res.type('html').send(
      page(
        'Deep Linking response',
        `<h1>Deep Linking response accepted</h1>${result.msg ? `<p>${escapeHtml(result.msg)}</p>` : ''}
<table><tr><th>Type</th><th>Title</th><th>URL</th></tr>${rows.join('')}</table>
<p>Resource links created: ${escapeHtml(result.createdResourceLinks.join(', ') || 'none')}. <a href="/">Back to the console</a></p>`,
      ),
    );
  });

  const service = (handler: (req: ServiceRequest, params: Record<string, string>) => ServiceResponse) => (req: Request, res: Response) => {
    const out = handler(serviceRequest(ctx, req), req.params as Record<string, string>);
    res.status(out.status).set(out.headers);
    if (out.body === undefined) return void res.end();
    // end(), not send(): the media type goes out exactly as the spec names it (no "; charset" appended).
    res.end(JSON.stringify(out.body));
  };
  router.get(
    '/lti/contexts/:contextId/memberships',
    service((r, p) => contextMemberships(ctx, p.contextId as string, r)),
  );
  router.all(
    '/lti/contexts/:contextId/lineitems',
    json,
    service((r, p) => lineItemContainer(ctx, p.contextId as string, r)),
  );
  router.all(
    '/lti/contexts/:contextId/lineitems/:lineItemId/lineitem',
    json,
    service((r, p) => lineItemResource(ctx, p.contextId as string, p.lineItemId as string, r)),
  );
  router.all(
    '/lti/contexts/:contextId/lineitems/:lineItemId/lineitem/scores',
    json,
    service((r, p) => postScore(ctx, p.contextId as string, p.lineItemId as string, r)),
  );
  router.all(
    '/lti/contexts/:contextId/lineitems/:lineItemId/lineitem/results',
    service((r, p) => getResults(ctx, p.contextId as string, p.lineItemId as string, r)),
  );

  router.use(consoleRoutes(ctx, form));
  router.use((req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `no such emulator endpoint: ${req.method} ${req.path}` });
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => renderError(ctx, err, req, res));
  return router;
}

function serviceRequest(ctx: EmulatorContext, req: Request): ServiceRequest {
  return {
    method: req.method,
    url: new URL(req.originalUrl, `${ctx.endpoints.base}/`),
    authorization: req.headers.authorization,
    accept: req.headers.accept,
    contentType: req.headers['content-type'],
    body: req.body,
  };
}

function renderAuthErrorPage(req: Request, res: Response, error: AuthError, state?: string): void {
  res.status(400).set('Cache-Control', 'no-store');
  const body = { error: error.code, error_description: error.description, ...(state !== undefined ? { state } : {}) };
  if (req.accepts(['html', 'json']) === 'json') return void res.json(body);
  res
    .type('html')
    .send(
      page(
        'Launch refused',
        `<h1>The platform refused the authentication request</h1><p class="error"><code>${escapeHtml(error.code)}</code>: ${escapeHtml(error.description)}</p>`,
      ),
    );
}

/** The one place errors become responses: the protocol's own body where it has one, a generic 500 otherwise (details only in the log). */
function renderError(ctx: EmulatorContext, err: unknown, req: Request, res: Response): void {
  if (err instanceof ServiceError) return void res.status(err.status).set(err.headers).json(err.toBody());
  if (err instanceof DeepLinkingError) {
    if (req.accepts(['html', 'json']) === 'json') return void res.status(err.status).json({ error: err.check, error_description: err.description });
    return void res
      .status(err.status)
      .type('html')
      .send(page('Deep Linking response refused', `<h1>Deep Linking response refused</h1><p class="error">${escapeHtml(err.description)}</p>`));
  }
  const status = (err as { status?: number; type?: string }).type === 'entity.parse.failed' ? 400 : 500;
  if (status === 500) ctx.logger.error({ err }, 'lti emulator: request failed');
  res.status(status).json({
    error: status === 400 ? 'invalid_request' : 'server_error',
    error_description: status === 400 ? 'the body is not valid JSON' : 'the emulator failed; see its log',
  });
}
