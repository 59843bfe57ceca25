import type { EmulatorContext } from '../context.js';
import { CLAIM } from '../vocabulary.js';
import { checkContentItems } from './check-content-items.js';
import { checkResponseClaims } from './check-response-claims.js';
import { DeepLinkingError, type DeepLinkingResult } from './deep-linking-result.js';
import { verifyResponseJwt } from './verify-response-jwt.js';

/**
 * The platform's deep_link_return_url (DL §4.5): the tool form-posts one field, JWT. Verified,
 * checked against the request it answers, then each ltiResourceLink item becomes a resource link in
 * the launch's context (with its line item, if it asked for one).
 */
export async function receiveDeepLinkingResponse(ctx: EmulatorContext, launchId: string, form: Record<string, string | undefined>): Promise<DeepLinkingResult> {
  try {
    const launch = ctx.launches.find(launchId);
    if (!launch?.deepLinking) throw new DeepLinkingError('launch', 'no live Deep Linking launch has this return URL', 404);
    const tool = ctx.tools.get(launch.clientId);
    if (!tool) throw new DeepLinkingError('launch', 'the tool of this launch is no longer registered', 404);
    if (!form.JWT) throw new DeepLinkingError('jwt', 'the form field JWT is missing');

    const payload = await verifyResponseJwt(ctx, tool, form.JWT);
    checkResponseClaims(payload, launch);
    const items = checkContentItems(payload[CLAIM.contentItems], launch.deepLinking, ctx.options.requireResourceLinkUrl);

    const result: DeepLinkingResult = {
      launchId,
      clientId: tool.clientId,
      deploymentId: launch.deploymentId,
      receivedAt: ctx.now(),
      contentItems: items,
      ...messages(payload),
      createdResourceLinks: [],
      createdLineItems: [],
    };
    if (launch.contextId) createLinks(ctx, launch.contextId, tool.clientId, items, result);
    ctx.deepLinkingResults.push(result);
    ctx.logger.info({ launch: launchId, clientId: tool.clientId, items: items.length }, 'lti emulator: deep linking response accepted');
    return result;
  } catch (err) {
    if (err instanceof DeepLinkingError)
      ctx.logger.warn({ launch: launchId, check: err.check, description: err.description }, 'lti emulator: deep linking response refused');
    throw err;
  }
}

function messages(payload: Record<string, unknown>): Pick<DeepLinkingResult, 'msg' | 'log' | 'errormsg' | 'errorlog'> {
  const pick = (claim: string) => (typeof payload[claim] === 'string' ? (payload[claim] as string) : undefined);
  const out = {
    msg: pick(CLAIM.deepLinkingMsg),
    log: pick(CLAIM.deepLinkingLog),
    errormsg: pick(CLAIM.deepLinkingErrorMsg),
    errorlog: pick(CLAIM.deepLinkingErrorLog),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function createLinks(ctx: EmulatorContext, contextId: string, clientId: string, items: Record<string, unknown>[], result: DeepLinkingResult): void {
  for (const item of items.filter((i) => i.type === 'ltiResourceLink')) {
    const id = `rl-${result.launchId.slice(0, 8)}-${result.createdResourceLinks.length + 1}`;
    ctx.directory.putResourceLink({
      id,
      contextId,
      clientId,
      ...(typeof item.title === 'string' ? { title: item.title } : {}),
      ...(typeof item.text === 'string' ? { description: item.text } : {}),
      ...(typeof item.url === 'string' ? { url: item.url } : {}),
      ...(item.custom ? { custom: item.custom as Record<string, string> } : {}),
    });
    result.createdResourceLinks.push(id);
    const lineItem = item.lineItem as Record<string, unknown> | undefined;
    if (lineItem) {
      const created = ctx.lineItems.create(contextId, clientId, {
        label: typeof lineItem.label === 'string' ? lineItem.label : typeof item.title === 'string' ? item.title : id,
        scoreMaximum: lineItem.scoreMaximum as number,
        resourceLinkId: id,
        ...(typeof lineItem.resourceId === 'string' ? { resourceId: lineItem.resourceId } : {}),
        ...(typeof lineItem.tag === 'string' ? { tag: lineItem.tag } : {}),
        ...(typeof lineItem.gradesReleased === 'boolean' ? { gradesReleased: lineItem.gradesReleased } : {}),
      });
      result.createdLineItems.push(created.id);
    }
  }
}
