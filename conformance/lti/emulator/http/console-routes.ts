import { type RequestHandler, Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { createLaunch } from '../launch/create-launch.js';
import { startDynamicRegistration } from '../registration/start-registration.js';
import { isMessageType } from '../vocabulary.js';
import { consolePage, dynamicRegistrationPage } from './console-page.js';
import { listValue, singleValues } from './request-values.js';

/** The person-facing pages: the console, and its three forms (launch, register by hand, Dynamic Registration). */
export function consoleRoutes(ctx: EmulatorContext, form: RequestHandler): Router {
  const router = Router();
  const fail = (res: Parameters<RequestHandler>[1], err: unknown) =>
    res
      .status(400)
      .type('html')
      .send(consolePage(ctx, (err as Error).message));

  router.get('/', (_req, res) => {
    res.type('html').send(consolePage(ctx));
  });

  router.post('/console/launch', form, async (req, res) => {
    const { values } = singleValues(req.body);
    try {
      const messageType = values.messageType ?? 'LtiResourceLinkRequest';
      if (!isMessageType(messageType)) throw new Error(`unknown message type ${messageType}`);
      const ticket = await createLaunch(ctx, {
        clientId: values.clientId ?? '',
        userId: values.userId,
        messageType,
        contextId: values.contextId ? values.contextId : null,
        resourceLinkId: values.resourceLinkId || undefined,
        lineItemId: values.lineItemId || undefined,
        custom: parseCustom(values.custom ?? ''),
        tamper: listValue(req.body?.tamper),
      });
      res.redirect(303, ticket.loginUrl);
    } catch (err) {
      fail(res, err);
    }
  });

  router.post('/console/tools', form, (req, res) => {
    const { values } = singleValues(req.body);
    try {
      ctx.tools.register({
        name: values.name || 'LTI tool',
        initiateLoginUri: values.initiateLoginUri ?? '',
        redirectUris: (values.redirectUris ?? '').split(/\s+/).filter(Boolean),
        jwksUri: values.jwksUri || undefined,
        targetLinkUri: values.targetLinkUri || undefined,
        deployments: values.deploymentId ? [values.deploymentId] : undefined,
      });
      res.redirect(303, '/');
    } catch (err) {
      fail(res, err);
    }
  });

  router.post('/console/dynamic-registration', form, (req, res) => {
    try {
      const { url } = startDynamicRegistration(ctx, singleValues(req.body).values.registrationUrl ?? '');
      res.type('html').send(dynamicRegistrationPage(url));
    } catch (err) {
      fail(res, err);
    }
  });
  return router;
}

/** "name=value" lines → custom parameters. */
function parseCustom(text: string): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) custom[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return custom;
}
